package cn.chuanyu.casetransfer.deliveryevidence;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

import cn.chuanyu.casetransfer.exchange.CrossBorder;
import cn.chuanyu.casetransfer.exchange.ExchangeEvents;
import cn.chuanyu.casetransfer.exchange.OverdueSource;
import cn.chuanyu.contracts.DeliveryEvidenceIssued;
import cn.chuanyu.contracts.EventEnvelope;
import cn.chuanyu.kit.json.Json;
import cn.chuanyu.kit.node.DeliveryEvidenceNotes;
import cn.chuanyu.kit.node.DeliveryEvidenceNotes.Evidence;
import cn.chuanyu.kit.node.DeliveryEvidenceNotes.Type;
import cn.chuanyu.kit.node.NodeIdentity;
import cn.chuanyu.kit.note.NoteVerifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Issues this node's delivery evidences of exchanges, keeps those the peer node issued (after checking each against
 * the peer's pinned key), and lists them. Each evidence this node issues in two-region mode is also an event
 * ({@code <kind>.evidence-issued}), so an entry of this node's audit log, and crosses to the other party's node with
 * the exchange. On one node an evidence is kept and listed, but not published: the one-node event stream stays as it
 * was (the submission it attests is in the audit log already).
 * <p>
 * Deadlines (through the {@code DeadlineScanner}): the origin issues RELAY_FAILED when no RELAY_ACCEPTED came within
 * {@code chuanyu.link.relay-deadline}; the destination issues NON_DELIVERY when the recipient has not read the
 * exchange within {@code chuanyu.link.delivery-deadline}.
 */
@Component
public class DeliveryEvidences implements OverdueSource {

    private static final Logger log = LoggerFactory.getLogger(DeliveryEvidences.class);

    /** Where an exchange's evidences are issued: the origin of a crossing exchange, its destination, or one node. */
    enum Role { ORIGIN, DESTINATION, LOCAL }

    private record Subject(String exchangeId, String kind, String fromAgency, String toAgency, String contentDigest,
            Role role) {
    }

    private final JdbcClient jdbc;
    private final DeliveryEvidenceNotes notes;
    private final NodeIdentity node;
    private final ExchangeEvents events;
    private final CrossBorder border;
    private final Clock clock;
    private final Duration relayDeadline;
    private final Duration deliveryDeadline;

    DeliveryEvidences(JdbcClient jdbc, DeliveryEvidenceNotes notes, NodeIdentity node, ExchangeEvents events,
            CrossBorder border, Clock clock,
            @Value("${chuanyu.link.relay-deadline:PT1H}") Duration relayDeadline,
            @Value("${chuanyu.link.delivery-deadline:P2D}") Duration deliveryDeadline) {
        this.jdbc = jdbc;
        this.notes = notes;
        this.node = node;
        this.events = events;
        this.border = border;
        this.clock = clock;
        this.relayDeadline = relayDeadline;
        this.deliveryDeadline = deliveryDeadline;
    }

    /** The canonical content digest of an exchange: that of its submission event (docs/two-regions.md). */
    public static String contentDigest(EventEnvelope submitted) {
        return DeliveryEvidenceNotes.contentDigest(submitted.type(), submitted.subject(), submitted.fromAgency(),
                submitted.toAgency(), submitted.data());
    }

    /** Origin (or one node): the exchange is stored and answered 201. {@code kind}: the event type prefix. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void submissionAccepted(String kind, EventEnvelope submitted) {
        Role role = border.crosses(submitted.fromAgency(), submitted.toAgency()) ? Role.ORIGIN : Role.LOCAL;
        Subject subject = register(kind, submitted, role);
        issue(subject, Type.SUBMISSION_ACCEPTED);
    }

    /**
     * Destination: the replica is stored (RELAY_ACCEPTED) and in the recipient's inbox (DELIVERED); or, when
     * {@code delivered} is false (the recipient is suspended on this node), stored but never to be delivered:
     * NON_DELIVERY at once, so the origin does not wait out the delivery deadline to learn it.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void replicaDelivered(String kind, EventEnvelope submitted, boolean delivered) {
        Subject subject = register(kind, submitted, Role.DESTINATION);
        issue(subject, Type.RELAY_ACCEPTED);
        issue(subject, delivered ? Type.DELIVERED : Type.NON_DELIVERY);
    }

    /** The recipient read the exchange on its own node: RETRIEVED, the first time only. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void retrieved(String exchangeId) {
        if (!jdbc.sql("select count(*) from delivery_evidence where exchange_id = :id and type = 'RETRIEVED'")
                .param("id", exchangeId).query(Integer.class).single().equals(0)) {
            return;
        }
        subject(exchangeId).filter(s -> s.role() != Role.ORIGIN).ifPresent(s -> issue(s, Type.RETRIEVED));
    }

    /**
     * Why an evidence that came over the link cannot be kept: its note does not verify with the peer's pinned key,
     * its fields differ from the signed text, it is not about the exchange it came with, or it attests content other
     * than what this node holds of the exchange. Empty when it holds.
     */
    public Optional<String> refusal(EventEnvelope event) {
        DeliveryEvidenceIssued issued;
        try {
            issued = Json.fromMap(event.data(), DeliveryEvidenceIssued.class);
        }
        catch (RuntimeException ex) {
            return Optional.of("not a delivery evidence: " + ex.getMessage());
        }
        NoteVerifier peer = node.peerVerifier().orElse(null);
        if (peer == null) {
            return Optional.of("no peer node key is pinned here");
        }
        DeliveryEvidenceNotes.Statement statement;
        try {
            statement = DeliveryEvidenceNotes.verify(evidence(issued), peer);
        }
        catch (NoteVerifier.InvalidNoteException | IllegalArgumentException ex) {
            return Optional.of("evidence " + issued.type() + " of " + event.subject()
                    + " does not verify with the peer node's key: " + ex.getMessage());
        }
        if (!statement.exchangeId().equals(event.subject())) {
            return Optional.of("evidence of exchange " + statement.exchangeId() + " came as one of " + event.subject());
        }
        // The peer's key signs only what the peer issues: an evidence naming another issuer (this node, say) is not
        // the peer's to bring.
        String peerName = node.properties().peer().name();
        if (!statement.issuer().equals(peerName)) {
            return Optional.of("evidence " + issued.type() + " of " + event.subject() + " names issuer "
                    + statement.issuer() + ", but the peer node is " + peerName);
        }
        // Unknown yet is no refusal on arrival: at the destination the submission it follows may still be on its
        // way (the link order holds it until then); received() requires the exchange.
        Optional<Subject> known = subject(event.subject());
        if (known.isPresent() && known.get().role() == Role.LOCAL) {
            return Optional.of("evidence " + issued.type() + " of " + event.subject() + " is about an exchange "
                    + "between this node's own agencies");
        }
        if (known.isPresent() && !known.get().contentDigest().equals(statement.contentDigest())) {
            return Optional.of("evidence " + issued.type() + " of " + event.subject() + " attests content "
                    + statement.contentDigest() + ", but this node holds " + known.get().contentDigest());
        }
        return Optional.empty();
    }

    /** Keeps an evidence the peer issued; the caller checked it with {@link #refusal} first. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void received(EventEnvelope event) {
        Optional<String> refusal = refusal(event);
        if (refusal.isPresent()) {
            // Checked on arrival already; the exchange's content may have arrived since (the replica): keep out.
            log.error("evidence not kept: {}", refusal.get());
            return;
        }
        if (subject(event.subject()).isEmpty()) {
            // Applied in the exchange's link order, so after its submission: an exchange still unknown here is
            // none this node shares with the peer.
            log.error("evidence not kept: {} {} is about exchange {}, which this node does not know", event.type(),
                    event.id(), event.subject());
            return;
        }
        store(evidence(Json.fromMap(event.data(), DeliveryEvidenceIssued.class)));
    }

    /** The evidences of an exchange, in the order they were issued. */
    @Transactional(readOnly = true)
    public List<Evidence> of(String exchangeId) {
        return jdbc.sql("""
                select type, exchange_id, issuer, time, note from delivery_evidence where exchange_id = :id
                order by time, type""")
                .param("id", exchangeId)
                .query((rs, n) -> new Evidence(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getTimestamp(4).toInstant(), rs.getString(5)))
                .list();
    }

    @Override
    @Transactional
    public int raiseOverdue(int batch) {
        Instant now = now();
        int raised = 0;
        for (Subject s : late(Role.ORIGIN, now.minus(relayDeadline), "'RELAY_ACCEPTED', 'RELAY_FAILED'", batch)) {
            issue(s, Type.RELAY_FAILED);
            log.warn("{} {}: no RELAY_ACCEPTED from the peer node within {}", s.kind(), s.exchangeId(), relayDeadline);
            raised++;
        }
        for (Subject s : late(Role.DESTINATION, now.minus(deliveryDeadline), "'RETRIEVED', 'NON_DELIVERY'",
                batch - raised)) {
            issue(s, Type.NON_DELIVERY);
            raised++;
        }
        return raised;
    }

    private List<Subject> late(Role role, Instant before, String settledBy, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        return jdbc.sql("""
                select exchange_id, kind, from_agency, to_agency, content_digest, role from evidence_exchange x
                where role = :role and created_at < :before
                  and not exists (select 1 from delivery_evidence d where d.exchange_id = x.exchange_id
                                  and d.type in (""" + settledBy + """
                ))
                order by created_at limit :limit for update skip locked""")
                .param("role", role.name())
                .param("before", Timestamp.from(before))
                .param("limit", limit)
                .query((rs, n) -> new Subject(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), Role.valueOf(rs.getString(6))))
                .list();
    }

    private Subject register(String kind, EventEnvelope submitted, Role role) {
        Subject subject = new Subject(submitted.subject(), kind, submitted.fromAgency(), submitted.toAgency(),
                contentDigest(submitted), role);
        jdbc.sql("""
                insert into evidence_exchange (exchange_id, kind, from_agency, to_agency, content_digest, role,
                  created_at)
                values (:id, :kind, :from, :to, :digest, :role, :at)""")
                .param("id", subject.exchangeId())
                .param("kind", kind)
                .param("from", subject.fromAgency())
                .param("to", subject.toAgency())
                .param("digest", subject.contentDigest())
                .param("role", role.name())
                .param("at", Timestamp.from(now()))
                .update();
        return subject;
    }

    private Optional<Subject> subject(String exchangeId) {
        return jdbc.sql("""
                select exchange_id, kind, from_agency, to_agency, content_digest, role from evidence_exchange
                where exchange_id = :id""")
                .param("id", exchangeId)
                .query((rs, n) -> new Subject(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), Role.valueOf(rs.getString(6))))
                .optional();
    }

    private void issue(Subject subject, Type type) {
        Evidence evidence = notes.issue(type, subject.exchangeId(), now(), subject.contentDigest());
        if (store(evidence) && node.twoRegions()) {
            events.record(subject.kind() + ".evidence-issued", subject.exchangeId(), subject.fromAgency(),
                    subject.toAgency(), new DeliveryEvidenceIssued(evidence.type(), evidence.exchangeId(),
                            evidence.issuer(), evidence.time().toString(), evidence.note()), List.of());
        }
    }

    /** False when the issuer already issued this type for the exchange (each happens once). */
    private boolean store(Evidence evidence) {
        return jdbc.sql("""
                insert into delivery_evidence (exchange_id, type, issuer, time, note)
                values (:id, :type, :issuer, :time, :note) on conflict do nothing""")
                .param("id", evidence.exchangeId())
                .param("type", evidence.type())
                .param("issuer", evidence.issuer())
                .param("time", Timestamp.from(evidence.time()))
                .param("note", evidence.note())
                .update() == 1;
    }

    private static Evidence evidence(DeliveryEvidenceIssued issued) {
        return new Evidence(issued.type(), issued.exchangeId(), issued.issuer(), Instant.parse(issued.time()),
                issued.note());
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
