package cn.chuanyu.evidence.relay;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import cn.chuanyu.contracts.DeliveryEvidenceIssued;
import cn.chuanyu.contracts.EventEnvelope;
import cn.chuanyu.contracts.EventTypes;
import cn.chuanyu.contracts.EvidenceRelayRetried;
import cn.chuanyu.evidence.custody.CustodyLog;
import cn.chuanyu.evidence.evidencepackage.EvidenceItem;
import cn.chuanyu.evidence.evidencepackage.PackageRetrievedEvent;
import cn.chuanyu.evidence.evidencepackage.PackageSealedEvent;
import cn.chuanyu.evidence.evidencepackage.PackageService;
import cn.chuanyu.evidence.relay.RelayRepository.PackageParties;
import cn.chuanyu.kit.domain.NotFoundException;
import cn.chuanyu.kit.domain.StateConflictException;
import cn.chuanyu.kit.json.Json;
import cn.chuanyu.kit.node.DeliveryEvidenceNotes;
import cn.chuanyu.kit.node.DeliveryEvidenceNotes.Evidence;
import cn.chuanyu.kit.node.DeliveryEvidenceNotes.Type;
import cn.chuanyu.kit.node.NodeIdentity;
import cn.chuanyu.kit.note.NoteVerifier;
import cn.chuanyu.kit.outbox.LinkRoute;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpRejectAndDontRequeueException;
import org.springframework.context.event.EventListener;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * What the two nodes do with a package that crosses the border, and its signed delivery evidences (two regions
 * only; the bean does not exist on one node). Every method runs inside the transaction of the change it belongs to.
 */
class RelayService {

    private static final Logger log = LoggerFactory.getLogger(RelayService.class);

    private final PackageService packages;
    private final RelayRepository relay;
    private final CustodyLog custody;
    private final DeliveryEvidenceNotes notes;
    private final NodeIdentity node;
    private final Clock clock;
    private final Runnable wakeFetcher;

    RelayService(PackageService packages, RelayRepository relay, CustodyLog custody, DeliveryEvidenceNotes notes,
            NodeIdentity node, Clock clock, Runnable wakeFetcher) {
        this.packages = packages;
        this.relay = relay;
        this.custody = custody;
        this.notes = notes;
        this.node = node;
        this.clock = clock;
        this.wakeFetcher = wakeFetcher;
    }

    private String peer() {
        return node.properties().peer().region();
    }

    /**
     * Origin, at seal: SUBMISSION_ACCEPTED by this node. For a recipient in the other region the package also gets
     * its link row (the seal went out as its first event) and the evidence crosses as the second.
     */
    @EventListener
    void onSealed(PackageSealedEvent sealed) {
        EventEnvelope event = sealed.sealedEvent();
        String digest = digestOf(event);
        boolean crossing = packages.peerRegionOf(event.toAgency()).isPresent();
        if (crossing) {
            relay.insertLink(sealed.packageId(), RelayRepository.ORIGIN, peer(), digest, 1, 0, now());
        }
        issue(sealed.packageId(), event.fromAgency(), event.toAgency(), Type.SUBMISSION_ACCEPTED, digest, crossing);
    }

    /** Destination, on the recipient's first complete download of a replica: RETRIEVED, once. */
    @EventListener
    void onRetrieved(PackageRetrievedEvent retrieved) {
        if (!retrieved.recipient().equals(retrieved.downloadedBy())) {
            return;
        }
        relay.lockLink(retrieved.packageId())
                .filter(link -> RelayRepository.DESTINATION.equals(link.role()))
                .filter(link -> !relay.hasEvidence(retrieved.packageId(), Type.RETRIEVED.name(), issuerName()))
                .ifPresent(link -> issue(retrieved.packageId(), retrieved.sender(), retrieved.recipient(), Type.RETRIEVED,
                        link.contentDigest(), true));
    }

    /**
     * Applies one event from the peer, in its package's cy-link-seq order (the caller ensured it is the next one).
     */
    void apply(EventEnvelope event, long seq) {
        switch (event.type()) {
            case EventTypes.EVIDENCE_SEALED -> storeReplica(event, seq);
            case EventTypes.EVIDENCE_EVIDENCE_ISSUED -> storePeerEvidence(event);
            default -> throw new AmqpRejectAndDontRequeueException("not an event this node takes over the link: "
                    + event.type());
        }
    }

    private void storeReplica(EventEnvelope event, long seq) {
        UUID id = UUID.fromString(event.subject());
        List<EvidenceItem> items = packages.storeReplica(event, peer());
        relay.insertLink(id, RelayRepository.DESTINATION, peer(), digestOf(event), 0, seq, now());
        Instant now = now();
        for (EvidenceItem item : items) {
            relay.insertRelayItem(id, item.name(), item.sha256(), item.size(), now);
        }
        afterCommit(wakeFetcher);
        log.info("replica of evidence package {} stored ({} item(s) to fetch from {})", id, items.size(), peer());
    }

    private void storePeerEvidence(EventEnvelope event) {
        UUID id = UUID.fromString(event.subject());
        RelayRepository.PackageLink link = relay.lockLink(id).orElseThrow(() -> new IllegalStateException(
                "an evidence of package " + id + " arrived before the package"));
        DeliveryEvidenceIssued data = Json.fromMap(event.data(), DeliveryEvidenceIssued.class);
        Evidence evidence = new Evidence(data.type(), data.exchangeId(), data.issuer(), Instant.parse(data.time()),
                data.note());
        NoteVerifier peerKey = node.peerVerifier().orElseThrow();
        DeliveryEvidenceNotes.Statement statement;
        try {
            statement = DeliveryEvidenceNotes.verify(evidence, peerKey);
        }
        catch (NoteVerifier.InvalidNoteException ex) {
            throw new AmqpRejectAndDontRequeueException("evidence of package " + id + " does not verify with the "
                    + "peer's pinned key: " + ex.getMessage(), ex);
        }
        if (!statement.exchangeId().equals(id.toString()) || !statement.issuer().equals(node.properties().peer().name())
                || !statement.contentDigest().equals(link.contentDigest())) {
            throw new AmqpRejectAndDontRequeueException("evidence of package " + id + " names another package, "
                    + "issuer or content than this node holds");
        }
        if (relay.insertEvidence(id, evidence)) {
            custody.record(id, event.fromAgency(), event.toAgency(), EventTypes.EVIDENCE_EVIDENCE_RECEIVED,
                    evidence.issuer(), data);
            log.info("{} evidence of package {} by {} verified and kept", evidence.type(), id, evidence.issuer());
        }
    }

    /** Destination: every item of the replica arrived and matched; the recipient sees it now. */
    void relayed(UUID id, String fromAgency, String toAgency) {
        RelayRepository.PackageLink link = relay.lockLink(id).orElseThrow();
        packages.markRelayed(id);
        issue(id, fromAgency, toAgency, Type.RELAY_ACCEPTED, link.contentDigest(), true);
        issue(id, fromAgency, toAgency, Type.DELIVERED, link.contentDigest(), true);
    }

    /** Issues an evidence as this node, keeps it, records it (an audit entry here) and, if asked, sends it across. */
    private void issue(UUID id, String fromAgency, String toAgency, Type type, String digest, boolean toPeer) {
        Evidence evidence = notes.issue(type, id.toString(), now(), digest);
        if (!relay.insertEvidence(id, evidence)) {
            return;
        }
        LinkRoute route = toPeer ? new LinkRoute(peer(), relay.nextOutSeq(id)) : null;
        custody.record(id, fromAgency, toAgency, EventTypes.EVIDENCE_EVIDENCE_ISSUED, evidence.issuer(),
                new DeliveryEvidenceIssued(evidence.type(), evidence.exchangeId(), evidence.issuer(),
                        evidence.time().toString(), evidence.note()), route);
    }

    /**
     * Deadlines (the caller's transaction; {@link RelayDeadlines} runs it): the origin issues RELAY_FAILED for a
     * package whose RELAY_ACCEPTED has not come within {@code relayDeadline} of its seal; the destination issues
     * NON_DELIVERY for a replica its recipient has not downloaded within {@code deliveryDeadline} of its arrival
     * (content that never arrives, a fetch given up on, is not delivered either). Each once; both cross to the peer
     * like every evidence. Answers how many were issued, at most {@code batch}.
     */
    int raiseOverdue(Duration relayDeadline, Duration deliveryDeadline, int batch) {
        Instant now = now();
        int raised = 0;
        for (RelayRepository.LateLink late : relay.late(RelayRepository.ORIGIN, now.minus(relayDeadline),
                List.of(Type.RELAY_ACCEPTED.name(), Type.RELAY_FAILED.name()), batch)) {
            issue(late.packageId(), late.fromAgency(), late.toAgency(), Type.RELAY_FAILED, late.contentDigest(), true);
            log.warn("evidence package {} to {}: no RELAY_ACCEPTED from the peer node within {}; RELAY_FAILED issued",
                    late.packageId(), late.toAgency(), relayDeadline);
            raised++;
        }
        if (raised < batch) {
            for (RelayRepository.LateLink late : relay.late(RelayRepository.DESTINATION, now.minus(deliveryDeadline),
                    List.of(Type.RETRIEVED.name(), Type.NON_DELIVERY.name()), batch - raised)) {
                issue(late.packageId(), late.fromAgency(), late.toAgency(), Type.NON_DELIVERY, late.contentDigest(),
                        true);
                log.warn("evidence package {} from {}: not downloaded by its recipient {} within {}; NON_DELIVERY "
                        + "issued", late.packageId(), late.fromAgency(), late.toAgency(), deliveryDeadline);
                raised++;
            }
        }
        return raised;
    }

    /**
     * Destination: an operator has the item fetches of a package that were given up on (FAILED) tried again, from
     * now; audited as {@code evidence.relay-retried} naming the operator. 404 for a package this node does not hold,
     * 409 when none of its fetches is FAILED.
     */
    List<String> retryFailed(UUID id, String operator) {
        PackageParties parties = relay.parties(id).orElseThrow(() -> new NotFoundException("no evidence package "
                + id + " on this node"));
        // Under the package's link row, so two operators' retries do not both record one.
        relay.lockLink(id);
        List<String> items = relay.retryFailed(id, now());
        if (items.isEmpty()) {
            throw new StateConflictException("evidence package " + id + " has no item fetch that was given up on "
                    + "(FAILED)");
        }
        custody.record(id, parties.from(), parties.to(), EventTypes.EVIDENCE_RELAY_RETRIED, operator,
                new EvidenceRelayRetried(items, operator));
        afterCommit(wakeFetcher);
        log.warn("operator {} had the fetch of {} item(s) of evidence package {} tried again: {}", operator,
                items.size(), id, items);
        return items;
    }

    List<Evidence> evidences(UUID id) {
        return relay.evidences(id);
    }

    private String issuerName() {
        return node.signer().name();
    }

    /** The content digest both nodes compute over the package's evidence.sealed event. */
    static String digestOf(EventEnvelope sealed) {
        return DeliveryEvidenceNotes.contentDigest(sealed.type(), sealed.subject(), sealed.fromAgency(),
                sealed.toAgency(), sealed.data());
    }

    private static void afterCommit(Runnable action) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    action.run();
                }
            });
        }
        else {
            action.run();
        }
    }

    private Instant now() {
        return clock.instant();
    }
}
