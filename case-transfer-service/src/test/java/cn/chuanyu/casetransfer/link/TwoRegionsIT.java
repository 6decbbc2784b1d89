package cn.chuanyu.casetransfer.link;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import cn.chuanyu.casetransfer.support.Agencies;
import cn.chuanyu.contracts.DeliveryEvidenceIssued;
import cn.chuanyu.contracts.EventEnvelope;
import cn.chuanyu.contracts.ExchangeActionRequested;
import cn.chuanyu.contracts.Messaging;
import cn.chuanyu.kit.agency.AgencyDirectory;
import cn.chuanyu.kit.agency.AgencyState;
import cn.chuanyu.kit.consumer.DeadLetterHeaders;
import cn.chuanyu.kit.identity.Caller;
import cn.chuanyu.kit.json.Json;
import cn.chuanyu.kit.messaging.PublisherIdentity;
import cn.chuanyu.kit.node.DeliveryEvidenceNotes;
import cn.chuanyu.kit.node.NodeIdentity;
import cn.chuanyu.kit.node.NodeProperties;
import cn.chuanyu.kit.note.NoteVerifier;
import cn.chuanyu.kit.test.TestHttp;
import cn.chuanyu.kit.test.TestInfrastructure;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

import static cn.chuanyu.casetransfer.link.TwoNodes.Node;
import static cn.chuanyu.casetransfer.support.Agencies.CQ_COURT;
import static cn.chuanyu.casetransfer.support.Agencies.CQ_POLICE;
import static cn.chuanyu.casetransfer.support.Agencies.SC_COURT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two regions end to end on one broker and one PostgreSQL: a Sichuan and a Chongqing node ({@link TwoNodes}), the
 * test carrying the link between them. The SC court submits to CQ agencies at the SC node (the origin, which
 * decides); the CQ node keeps the replica and forwards its recipients' actions.
 */
class TwoRegionsIT {

    static final Duration WAIT = Duration.ofSeconds(60);
    static final String TRANSFER = """
            {"caseNumber": "(2026)川01刑初%s号", "title": "跨区域诈骗案", "caseType": "CRIMINAL",
             "toAgency": "%s", "reason": "犯罪地在重庆", "summary": "案情摘要"}""";
    static final String ASSISTANCE = """
            {"type": "INVESTIGATION", "toAgency": "%s", "subject": "调取银行流水", "details": "账户 6222..."}""";

    /** A second Sichuan agency: exchanges between it and the SC court are the SC node's alone. */
    static final Caller SC_POLICE = Agencies.agency("sc-chengdu-public-security", cn.chuanyu.contracts.Region.SC,
            cn.chuanyu.contracts.AgencyKind.PUBLIC_SECURITY);

    static TwoNodes nodes;

    @BeforeAll
    static void start() throws Exception {
        nodes = new TwoNodes();
        for (Node node : List.of(nodes.sc, nodes.cq)) {
            Agencies.registerIn(node.context().getBean(AgencyDirectory.class), SC_POLICE);
        }
    }

    @AfterAll
    static void stop() {
        if (nodes != null) {
            nodes.close();
        }
    }

    /**
     * The first exchange from a peer agency can overtake that agency's registration (they cross on different queues):
     * it is retried, not refused, and applied once the registration has arrived.
     */
    @Test
    void aSubmissionFromAPeerAgencyNotKnownYetIsRetriedUntilItsRegistrationArrives() throws Exception {
        Caller newcomer = Agencies.agency("sc-newcomer-" + java.util.UUID.randomUUID().toString().substring(0, 8),
                cn.chuanyu.contracts.Region.SC, cn.chuanyu.contracts.AgencyKind.COURT);
        Agencies.registerIn(nodes.sc.context().getBean(AgencyDirectory.class), newcomer);
        TestHttp.Response created = Agencies.post(nodes.sc.port(), newcomer, "/api/v1/case-transfers",
                TRANSFER.formatted(java.util.UUID.randomUUID().toString().substring(0, 6), CQ_COURT.id()));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = created.json().path("id").asString();
        // Crosses while CQ has not heard of the newcomer: held back by retries, not dead-lettered.
        nodes.settle(Duration.ofSeconds(3));
        assertThat(transfer(nodes.cq, CQ_COURT, id).status()).isEqualTo(404);
        Agencies.registerIn(nodes.cq.context().getBean(AgencyDirectory.class), newcomer);
        nodes.pumpUntil(() -> transfer(nodes.cq, CQ_COURT, id).status() == 200, WAIT);
    }

    @Test
    void aTransferCrossesTheRecipientAcceptsAtItsNodeAndTheOutcomeComesBackWithSignedEvidences() {
        String id = submitTransfer(CQ_COURT);
        assertThat(seqs(nodes.sc, id)).as("every event of the exchange crosses, numbered 1, 2, ...")
                .containsExactly(1L, 2L);

        nodes.pumpUntil(() -> transfer(nodes.cq, CQ_COURT, id).status() == 200, WAIT);
        JsonNode replica = transfer(nodes.cq, CQ_COURT, id).json();
        assertThat(replica.path("state").asString()).isEqualTo("SUBMITTED");
        assertThat(replica.path("summary").asString()).isEqualTo("案情摘要");
        assertThat(inboxTypes(nodes.cq, CQ_COURT)).contains("case-transfer.submitted");
        assertThat(transfer(nodes.cq, CQ_POLICE, id).status()).isEqualTo(404);

        TestHttp.Response accepted = act(nodes.cq, CQ_COURT, "case-transfers", id, "accept", "{\"note\": \"同意\"}");
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        assertThat(accepted.json().path("state").asString()).isEqualTo("SUBMITTED");
        assertThat(accepted.json().path("pendingAction").path("action").asString()).isEqualTo("accept");

        nodes.pumpUntil(() -> state(nodes.cq, CQ_COURT, "case-transfers", id).equals("ACCEPTED"), WAIT);
        assertThat(state(nodes.sc, SC_COURT, "case-transfers", id)).isEqualTo("ACCEPTED");
        assertThat(transfer(nodes.cq, CQ_COURT, id).json().path("pendingAction").isNull()).isTrue();
        assertThat(transfer(nodes.cq, CQ_COURT, id).json().path("decisionNote").asString()).isEqualTo("同意");
        assertThat(inboxTypes(nodes.sc, SC_COURT)).contains("case-transfer.accepted");
        // Each node's audit trail (its outbox, which the audit consumes) holds every step, none sent back.
        assertThat(types(nodes.cq, id)).contains("case-transfer.submitted", "case-transfer.action-requested",
                "case-transfer.accepted", "case-transfer.evidence-issued");
        assertThat(types(nodes.sc, id)).contains("case-transfer.submitted", "case-transfer.accepted");

        nodes.pumpUntil(() -> evidenceTypes(nodes.sc, SC_COURT, "case-transfers", id).containsAll(
                List.of("SUBMISSION_ACCEPTED", "RELAY_ACCEPTED", "DELIVERED", "RETRIEVED")), WAIT);
        JsonNode evidences = get(nodes.sc, SC_COURT, "/api/v1/case-transfers/" + id + "/evidences").json();
        String digest = null;
        for (JsonNode e : evidences) {
            Node issuer = e.path("issuer").asString().equals("sc.test.local") ? nodes.sc : nodes.cq;
            DeliveryEvidenceNotes.Statement statement = DeliveryEvidenceNotes.verify(new DeliveryEvidenceNotes.Evidence(
                    e.path("type").asString(), e.path("exchangeId").asString(), e.path("issuer").asString(),
                    Instant.parse(e.path("time").asString()), e.path("note").asString()),
                    NoteVerifier.of(issuer.verifierKey()));
            assertThat(statement.exchangeId()).isEqualTo(id);
            digest = digest == null ? statement.contentDigest() : digest;
            assertThat(statement.contentDigest()).as("both nodes attest the same content").isEqualTo(digest);
        }
        assertThat(evidences.findValuesAsString("issuer")).contains("sc.test.local", "cq.test.local");
        assertThat(get(nodes.cq, CQ_POLICE, "/api/v1/case-transfers/" + id + "/evidences").status()).isEqualTo(404);
        assertThat(get(nodes.cq, new Caller("auditor", cn.chuanyu.contracts.Role.AUDITOR, null, null),
                "/api/v1/case-transfers/" + id + "/evidences").status()).isEqualTo(200);
    }

    @Test
    void anExchangesEventsDeliveredReversedAreAppliedInTheirOrder() {
        String id = submitTransfer(CQ_COURT);
        assertThat(act(nodes.sc, SC_COURT, "case-transfers", id, "withdraw", "{\"reason\": \"当事人和解\"}").status())
                .isEqualTo(200);
        // submitted (1), its SUBMISSION_ACCEPTED evidence (2), withdrawn (3): held, then delivered last first.
        List<Message> waiting = nodes.takeAtLeast(nodes.sc, 3, WAIT);
        assertThat(waiting).extracting(m -> ((Number) m.getMessageProperties().getHeader(Messaging.HEADER_LINK_SEQ))
                .longValue()).containsExactly(1L, 2L, 3L);
        nodes.deliver(nodes.sc, TwoNodes.reversed(waiting));

        nodes.pumpUntil(() -> types(nodes.cq, id).contains("case-transfer.withdrawn"), WAIT);
        assertThat(types(nodes.cq, id)).as("applied as the origin ordered them")
                .containsSubsequence("case-transfer.submitted", "case-transfer.withdrawn");
        assertThat(inboxTypes(nodes.cq, CQ_COURT, id)).containsExactly("case-transfer.submitted",
                "case-transfer.withdrawn");
        assertThat(state(nodes.cq, CQ_COURT, "case-transfers", id)).isEqualTo("WITHDRAWN");
        assertThat(nodes.cq.jdbc().sql("select count(*) from link_pending where exchange_id = :id").param("id", id)
                .query(Integer.class).single()).isZero();

        // The same events again (a redelivery after a crash): nothing happens twice.
        nodes.deliver(nodes.sc, waiting);
        nodes.settle(Duration.ofSeconds(2));
        assertThat(inboxTypes(nodes.cq, CQ_COURT, id)).hasSize(2);
    }

    /** The origin's withdrawal against each of the recipient's decisions, in both orders the origin may see them. */
    @Test
    void conflictingTransferActionsEndInOneOutcomeOnBothNodes() {
        for (String decision : List.of("accept", "reject")) {
            String body = decision.equals("accept") ? "{}" : "{\"reason\": \"不属于本院管辖\"}";
            String decided = decision.equals("accept") ? "ACCEPTED" : "REJECTED";

            // The withdrawal reaches the origin's state machine first: the forwarded decision is refused.
            String first = crossedTransfer();
            assertThat(act(nodes.cq, CQ_COURT, "case-transfers", first, decision, body).status()).isEqualTo(202);
            assertThat(act(nodes.sc, SC_COURT, "case-transfers", first, "withdraw", "{\"reason\": \"撤回\"}").status())
                    .isEqualTo(200);
            settled("case-transfers", first, "WITHDRAWN");
            nodes.pumpUntil(() -> inboxTypes(nodes.cq, CQ_COURT, first).contains("case-transfer.action-refused"),
                    WAIT);

            // The forwarded decision is applied before the sender withdraws: the withdrawal is refused (409).
            String second = crossedTransfer();
            assertThat(act(nodes.cq, CQ_COURT, "case-transfers", second, decision, body).status()).isEqualTo(202);
            nodes.pumpUntil(() -> state(nodes.sc, SC_COURT, "case-transfers", second).equals(decided), WAIT);
            TestHttp.Response late = act(nodes.sc, SC_COURT, "case-transfers", second, "withdraw",
                    "{\"reason\": \"撤回\"}");
            assertThat(late.status()).isEqualTo(409);
            assertThat(late.json().path("currentState").asString()).isEqualTo(decided);
            settled("case-transfers", second, decided);
        }
    }

    /**
     * An assistance request's actions are all the recipient's; they conflict with each other when two are forwarded
     * before the origin answered the first: the origin applies them in order, the loser is refused on both nodes.
     */
    @Test
    void conflictingAssistanceActionsEndInOneOutcomeOnBothNodes() {
        // complete and decline of an acknowledged request: the first forwarded wins.
        for (List<String> pair : List.of(List.of("complete", "decline"), List.of("decline", "complete"))) {
            String id = crossedAssistance();
            assertThat(act(nodes.cq, CQ_COURT, "assistance-requests", id, "acknowledge", "").status()).isEqualTo(202);
            nodes.pumpUntil(() -> state(nodes.cq, CQ_COURT, "assistance-requests", id).equals("ACKNOWLEDGED"), WAIT);
            for (String action : pair) {
                assertThat(act(nodes.cq, CQ_COURT, "assistance-requests", id, action, action.equals("complete")
                        ? "{\"result\": \"已调取\"}" : "{\"reason\": \"无法协助\"}").status()).isEqualTo(202);
            }
            String winner = pair.get(0).equals("complete") ? "COMPLETED" : "DECLINED";
            settled("assistance-requests", id, winner);
            nodes.pumpUntil(() -> inboxTypes(nodes.cq, CQ_COURT, id).contains("assistance.action-refused"), WAIT);
        }
        // acknowledge and decline of a submitted request: both apply in the origin's order (declined).
        String id = crossedAssistance();
        assertThat(act(nodes.cq, CQ_COURT, "assistance-requests", id, "acknowledge", "").status()).isEqualTo(202);
        assertThat(act(nodes.cq, CQ_COURT, "assistance-requests", id, "decline", "{\"reason\": \"无法协助\"}")
                .status()).isEqualTo(202);
        settled("assistance-requests", id, "DECLINED");
        // decline, then acknowledge: the acknowledgement comes too late.
        String other = crossedAssistance();
        assertThat(act(nodes.cq, CQ_COURT, "assistance-requests", other, "decline", "{\"reason\": \"无法协助\"}")
                .status()).isEqualTo(202);
        assertThat(act(nodes.cq, CQ_COURT, "assistance-requests", other, "acknowledge", "").status()).isEqualTo(202);
        settled("assistance-requests", other, "DECLINED");
        nodes.pumpUntil(() -> inboxTypes(nodes.cq, CQ_COURT, other).contains("assistance.action-refused"), WAIT);
    }

    @Test
    void onlyTheLinkUserMayBringEventsAndAForgedEvidenceIsDeadLettered(@TempDir java.nio.file.Path dir) {
        String id = crossedTransfer();
        // Published by someone else on the vhost (its own user-id): refused.
        EventEnvelope fake = new EventEnvelope(java.util.UUID.randomUUID().toString(), "case-transfer-service",
                "case-transfer.withdrawn", id, Instant.now(), null, SC_COURT.id(), CQ_COURT.id(),
                Map.of("caseNumber", "x", "state", "WITHDRAWN", "actor", SC_COURT.id(), "reason", "forged"));
        MessageProperties props = new MessageProperties();
        props.setUserId("guest");
        props.setHeader(Messaging.HEADER_LINK_SEQ, 3L);
        new RabbitTemplate(nodes.cq.admin()).send(Messaging.LINK_IN_EXCHANGE, fake.type(),
                new Message(Json.write(fake).getBytes(java.nio.charset.StandardCharsets.UTF_8), props));
        assertThat(deadLetterReason(nodes.cq)).contains("is not the link user");
        assertThat(state(nodes.cq, CQ_COURT, "case-transfers", id)).isEqualTo("SUBMITTED");

        // Over the link, but the origin's evidence replaced in transit by one signed with a key the CQ node does
        // not pin for SC: dead-lettered, its place in the exchange's order passed over.
        String tampered = submitTransfer(CQ_COURT);
        List<Message> waiting = nodes.takeAtLeast(nodes.sc, 2, WAIT);
        NodeIdentity impostor = new NodeIdentity(new NodeProperties("", "sc.test.local", dir.resolve("x.key"), "",
                new NodeProperties.Peer("", "", "", "", "")));
        DeliveryEvidenceNotes.Evidence forged = new DeliveryEvidenceNotes(impostor).issue(
                DeliveryEvidenceNotes.Type.SUBMISSION_ACCEPTED, tampered, Instant.now(), "sha256:AAAA");
        EventEnvelope evidence = new EventEnvelope(java.util.UUID.randomUUID().toString(), "case-transfer-service",
                "case-transfer.evidence-issued", tampered, Instant.now(), null, SC_COURT.id(), CQ_COURT.id(),
                Json.toMap(new DeliveryEvidenceIssued(forged.type(), tampered, forged.issuer(),
                        forged.time().toString(), forged.note())));
        Message original = waiting.stream().filter(m -> m.getMessageProperties().getReceivedRoutingKey()
                .equals("case-transfer.evidence-issued")).findFirst().orElseThrow();
        List<Message> delivered = waiting.stream().map(m -> m != original ? m : new Message(
                Json.write(evidence).getBytes(java.nio.charset.StandardCharsets.UTF_8), m.getMessageProperties()))
                .toList();
        nodes.deliver(nodes.sc, delivered);
        assertThat(deadLetterReason(nodes.cq)).contains("does not verify with the peer node's key");
        nodes.pumpUntil(() -> transfer(nodes.cq, CQ_COURT, tampered).status() == 200, WAIT);
        assertThat(evidenceTypes(nodes.cq, CQ_COURT, "case-transfers", tampered)).doesNotContain("SUBMISSION_ACCEPTED");
        assertThat(act(nodes.sc, SC_COURT, "case-transfers", tampered, "withdraw", "{\"reason\": \"撤回\"}")
                .status()).isEqualTo(200);
        nodes.pumpUntil(() -> state(nodes.cq, CQ_COURT, "case-transfers", tampered).equals("WITHDRAWN"), WAIT);
    }

    /**
     * A genuine link message whose processing fails (a database failure injected for that event) goes round the
     * kit's retry queue and comes back republished under this service's own user-id: it is still the link's (its
     * first publisher is), so it is applied, not dead-lettered as a forgery. A message another broker user publishes
     * with a forged first-publisher header naming the link user is still refused.
     */
    @Test
    void aLinkMessageBackFromTheRetryQueueIsAcceptedAndAForgedFirstPublisherIsNot() {
        String id = submitTransfer(CQ_COURT);
        List<Message> waiting = nodes.takeAtLeast(nodes.sc, 2, WAIT);
        String submitted = Json.read(waiting.get(0).getBody()).id();
        int attempts = nodes.cq.context().getEnvironment()
                .getProperty("spring.rabbitmq.listener.simple.retry.max-retries", Integer.class, 4) + 1;
        JdbcClient db = nodes.cq.jdbc();
        db.sql("create sequence if not exists test_link_failures").update();
        db.sql("""
                create or replace function test_link_fail() returns trigger language plpgsql as $$
                begin
                  if new.consumer = '%s' and new.event_id = '%s' and nextval('test_link_failures') <= %d then
                    raise exception 'injected failure for %s';
                  end if;
                  return new;
                end $$""".formatted(Messaging.CASE_TRANSFER_LINK_QUEUE, submitted, attempts, submitted)).update();
        db.sql("""
                create trigger test_link_fail before insert on processed_event
                for each row execute function test_link_fail()""").update();
        try {
            nodes.deliver(nodes.sc, waiting);
            nodes.pumpUntil(() -> transfer(nodes.cq, CQ_COURT, id).status() == 200, WAIT);
        }
        finally {
            db.sql("drop trigger if exists test_link_fail on processed_event").update();
        }
        assertThat(nodes.cq.context().getBean(MeterRegistry.class).find("chuanyu.consumer.retried")
                .tag("queue", Messaging.CASE_TRANSFER_LINK_QUEUE).counters().stream()
                .mapToDouble(Counter::count).sum()).as("it went round the retry queue").isPositive();

        // Another broker user, allowed on the link exchange, claiming the link user as the first publisher.
        String other = "cyx-other-" + TestInfrastructure.RUN_ID;
        TestInfrastructure.rabbitmqctl("add_user", other, TwoNodes.LINK_PASSWORD);
        CachingConnectionFactory factory = new CachingConnectionFactory("localhost");
        try {
            TestInfrastructure.rabbitmqctl("set_permissions", "-p", nodes.cq.vhost(), other, "^$",
                    "^chuanyu\\.link\\.in$", "^$");
            factory.setVirtualHost(nodes.cq.vhost());
            factory.setUsername(other);
            factory.setPassword(TwoNodes.LINK_PASSWORD);
            EventEnvelope fake = new EventEnvelope(java.util.UUID.randomUUID().toString(), "case-transfer-service",
                    "case-transfer.withdrawn", id, Instant.now(), null, SC_COURT.id(), CQ_COURT.id(),
                    Map.of("caseNumber", "x", "state", "WITHDRAWN", "actor", SC_COURT.id(), "reason", "forged"));
            MessageProperties props = new MessageProperties();
            props.setUserId(other);
            props.setHeader(PublisherIdentity.FIRST_PUBLISHER, nodes.linkUser);
            props.setHeader(Messaging.HEADER_LINK_SEQ, 3L);
            new RabbitTemplate(factory).send(Messaging.LINK_IN_EXCHANGE, fake.type(),
                    new Message(Json.write(fake).getBytes(java.nio.charset.StandardCharsets.UTF_8), props));
            assertThat(deadLetterReason(nodes.cq, fake.id())).contains("user-id " + other + " is not the link user");
        }
        finally {
            factory.destroy();
            TestInfrastructure.rabbitmqctl("delete_user", other);
        }
        assertThat(state(nodes.cq, CQ_COURT, "case-transfers", id)).isEqualTo("SUBMITTED");
    }

    /** The peer may only submit from one of its agencies to one of this node's, and never reuse an id held here. */
    @Test
    void aSubmissionThePeerMayNotMakeIsRefusedAndDeliveredToNoOne() {
        Map<String, Object> data = Map.of("caseNumber", "(2026)渝01刑初1号", "title", "伪造", "caseType", "CRIMINAL",
                "reason", "伪造", "summary", "伪造");
        // SC to SC, "submitted" by the CQ node into the SC court's inbox.
        EventEnvelope localToLocal = event("case-transfer.submitted", uuid(), SC_POLICE, SC_COURT, data);
        overTheLink(nodes.cq, localToLocal, 1);
        assertThat(deadLettered(nodes.sc, localToLocal)).contains("is no agency of the peer region");
        // CQ to CQ: not for this node to hold.
        EventEnvelope peerToPeer = event("case-transfer.submitted", uuid(), CQ_COURT, CQ_POLICE, data);
        overTheLink(nodes.cq, peerToPeer, 1);
        assertThat(deadLettered(nodes.sc, peerToPeer)).contains("is no agency of this node's region");
        // CQ to SC, but under the id of a transfer SC decides.
        String ours = submitTransfer(CQ_COURT);
        EventEnvelope taken = event("case-transfer.submitted", ours, CQ_COURT, SC_COURT, data);
        overTheLink(nodes.cq, taken, 1);
        assertThat(deadLettered(nodes.sc, taken)).contains("holds another exchange of that id");

        for (EventEnvelope forged : List.of(localToLocal, peerToPeer)) {
            assertThat(count(nodes.sc, "select count(*) from case_transfer where id = cast(:id as uuid)", forged.subject()))
                    .isZero();
            assertThat(count(nodes.sc, "select count(*) from inbox_entry where exchange_id = :id", forged.subject()))
                    .isZero();
        }
        assertThat(get(nodes.sc, SC_COURT, "/api/v1/case-transfers/" + ours).json().path("fromAgency").asString())
                .isEqualTo(SC_COURT.id());
        settleLink();
    }

    /** Outcomes are the origin's word about its own exchange: the peer cannot decide one this node decides. */
    @Test
    void anOutcomeOfAnExchangeThisNodeDecidesIsRefused() {
        String ours = submitTransfer(CQ_COURT);
        EventEnvelope accepted = event("case-transfer.accepted", ours, SC_COURT, CQ_COURT,
                Map.of("caseNumber", "x", "state", "ACCEPTED", "actor", CQ_COURT.id(), "reason", "forged"));
        overTheLink(nodes.cq, accepted, 1);
        assertThat(deadLettered(nodes.sc, accepted)).contains("is not decided by the peer node");

        String local = submitTransfer(SC_POLICE);
        EventEnvelope withdrawn = event("case-transfer.withdrawn", local, SC_COURT, SC_POLICE,
                Map.of("caseNumber", "x", "state", "WITHDRAWN", "actor", SC_COURT.id(), "reason", "forged"));
        overTheLink(nodes.cq, withdrawn, 1);
        assertThat(deadLettered(nodes.sc, withdrawn)).contains("is not decided by the peer node");

        assertThat(state(nodes.sc, SC_COURT, "case-transfers", ours)).isEqualTo("SUBMITTED");
        assertThat(state(nodes.sc, SC_COURT, "case-transfers", local)).isEqualTo("SUBMITTED");
        assertThat(types(nodes.sc, ours)).doesNotContain("case-transfer.accepted");
        settleLink();
    }

    /**
     * A forwarded action only for an exchange decided here whose recipient is the peer's, by that recipient. A
     * refusal event would tell the peer the exchange's state: none is made for the others.
     */
    @Test
    void aForwardedActionOnAnExchangeWithoutPeerRecipientIsRefusedWithoutTellingItsState() {
        String local = submitTransfer(SC_POLICE);
        EventEnvelope onLocal = event("case-transfer.action-requested", local, SC_COURT, SC_POLICE,
                Json.toMap(new ExchangeActionRequested("accept", CQ_COURT.id(), null, "forged", null)));
        overTheLink(nodes.cq, onLocal, 1);
        assertThat(deadLettered(nodes.sc, onLocal)).contains("is not served by the peer node");

        String unknown = uuid();
        EventEnvelope onNothing = event("assistance.action-requested", unknown, SC_COURT, CQ_COURT,
                Json.toMap(new ExchangeActionRequested("decline", CQ_COURT.id(), null, "forged", null)));
        overTheLink(nodes.cq, onNothing, 1);
        assertThat(deadLettered(nodes.sc, onNothing)).contains("no exchange of that id is decided here");

        String crossing = submitTransfer(CQ_COURT);
        EventEnvelope byOther = event("case-transfer.action-requested", crossing, SC_COURT, CQ_COURT,
                Json.toMap(new ExchangeActionRequested("accept", CQ_POLICE.id(), null, "forged", null)));
        overTheLink(nodes.cq, byOther, 1);
        assertThat(deadLettered(nodes.sc, byOther)).contains("is not the recipient");

        assertThat(types(nodes.sc, local)).doesNotContain("case-transfer.action-refused");
        assertThat(types(nodes.sc, unknown)).isEmpty();
        assertThat(state(nodes.sc, SC_COURT, "case-transfers", local)).isEqualTo("SUBMITTED");
        assertThat(state(nodes.sc, SC_COURT, "case-transfers", crossing)).isEqualTo("SUBMITTED");
        settleLink();
    }

    /** The peer's key vouches for the peer's evidences of exchanges both nodes share, nothing else. */
    @Test
    void anEvidenceNamingAnotherIssuerOrOfAnUnknownExchangeIsNotKept() {
        NodeIdentity cq = nodes.cq.context().getBean(NodeIdentity.class);
        // Signed by the CQ node, claiming the SC node issued it.
        String ours = submitTransfer(CQ_COURT);
        String digest = nodes.sc.jdbc().sql("select content_digest from evidence_exchange where exchange_id = :id")
                .param("id", ours).query(String.class).single();
        Instant at = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        String text = DeliveryEvidenceNotes.HEADER + "\ntype RELAY_FAILED\nexchange " + ours
                + "\nissuer sc.test.local\ntime " + at + "\ncontent " + digest + "\n";
        EventEnvelope impersonating = event("case-transfer.evidence-issued", ours, SC_COURT, CQ_COURT,
                Json.toMap(new DeliveryEvidenceIssued("RELAY_FAILED", ours, "sc.test.local", at.toString(),
                        cq.signer().sign(text))));
        overTheLink(nodes.cq, impersonating, 1);
        assertThat(deadLettered(nodes.sc, impersonating)).contains("names issuer sc.test.local");

        // A genuine CQ evidence of an exchange the SC node never heard of.
        String unknown = uuid();
        DeliveryEvidenceNotes.Evidence stray = new DeliveryEvidenceNotes(cq).issue(
                DeliveryEvidenceNotes.Type.RELAY_ACCEPTED, unknown, Instant.now(), digest);
        overTheLink(nodes.cq, event("case-transfer.evidence-issued", unknown, SC_COURT, CQ_COURT,
                Json.toMap(new DeliveryEvidenceIssued(stray.type(), unknown, stray.issuer(), stray.time().toString(),
                        stray.note()))), 1);
        nodes.pumpUntil(() -> count(nodes.sc, "select count(*) from link_in where exchange_id = :id and applied_seq = 1",
                unknown) == 1, WAIT);
        assertThat(count(nodes.sc, "select count(*) from delivery_evidence where exchange_id = :id", unknown)).isZero();
        assertThat(count(nodes.sc, "select count(*) from delivery_evidence where exchange_id = :id and type = "
                + "'RELAY_FAILED'", ours)).isZero();
        settleLink();
    }

    /**
     * A recipient suspended on its own node (its node heard of the suspension, the origin not yet): the replica is
     * kept, nothing reaches the inbox, and NON_DELIVERY goes back at once instead of DELIVERED.
     */
    @Test
    void aReplicaForARecipientSuspendedOnItsNodeIsKeptNotDeliveredAndNonDeliveryGoesBack() {
        AgencyDirectory cqAgencies = nodes.cq.context().getBean(AgencyDirectory.class);
        cqAgencies.changeState(CQ_POLICE.id(), AgencyState.SUSPENDED, Instant.now());
        try {
            String id = submitTransfer(CQ_POLICE);
            nodes.pumpUntil(() -> evidenceTypes(nodes.sc, SC_COURT, "case-transfers", id).contains("NON_DELIVERY"),
                    WAIT);
            assertThat(evidenceTypes(nodes.sc, SC_COURT, "case-transfers", id))
                    .contains("SUBMISSION_ACCEPTED", "RELAY_ACCEPTED", "NON_DELIVERY").doesNotContain("DELIVERED");
            assertThat(count(nodes.cq, "select count(*) from case_transfer where id = cast(:id as uuid)", id)).isOne();
            assertThat(count(nodes.cq, "select count(*) from inbox_entry where exchange_id = :id", id)).isZero();
        }
        finally {
            cqAgencies.changeState(CQ_POLICE.id(), AgencyState.ACTIVE, Instant.now());
        }
    }

    // --- helpers

    private String submitTransfer(Caller to) {
        TestHttp.Response created = Agencies.post(nodes.sc.port(), SC_COURT, "/api/v1/case-transfers",
                TRANSFER.formatted(java.util.UUID.randomUUID().toString().substring(0, 6), to.id()));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().path("id").asString();
    }

    /** A transfer whose replica the CQ recipient has read. */
    private String crossedTransfer() {
        String id = submitTransfer(CQ_COURT);
        nodes.pumpUntil(() -> transfer(nodes.cq, CQ_COURT, id).status() == 200, WAIT);
        return id;
    }

    private String crossedAssistance() {
        TestHttp.Response created = Agencies.post(nodes.sc.port(), SC_COURT, "/api/v1/assistance-requests",
                ASSISTANCE.formatted(CQ_COURT.id()));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = created.json().path("id").asString();
        nodes.pumpUntil(() -> get(nodes.cq, CQ_COURT, "/api/v1/assistance-requests/" + id).status() == 200, WAIT);
        return id;
    }

    /** Both nodes show {@code expected}, nothing is pending at the recipient's, and it stays so. */
    private void settled(String kind, String id, String expected) {
        nodes.pumpUntil(() -> state(nodes.sc, SC_COURT, kind, id).equals(expected)
                && state(nodes.cq, CQ_COURT, kind, id).equals(expected)
                && get(nodes.cq, CQ_COURT, "/api/v1/" + kind + "/" + id).json().path("pendingAction").isNull(), WAIT);
        nodes.settle(Duration.ofSeconds(1));
        assertThat(state(nodes.sc, SC_COURT, kind, id)).as(kind + " " + id + " at SC").isEqualTo(expected);
        assertThat(state(nodes.cq, CQ_COURT, kind, id)).as(kind + " " + id + " at CQ").isEqualTo(expected);
    }

    private static TestHttp.Response transfer(Node node, Caller caller, String id) {
        return get(node, caller, "/api/v1/case-transfers/" + id);
    }

    private static String state(Node node, Caller caller, String kind, String id) {
        return get(node, caller, "/api/v1/" + kind + "/" + id).json().path("state").asString();
    }

    private static TestHttp.Response act(Node node, Caller caller, String kind, String id, String action,
            String body) {
        return Agencies.post(node.port(), caller, "/api/v1/" + kind + "/" + id + "/" + action, body);
    }

    private static TestHttp.Response get(Node node, Caller caller, String path) {
        return Agencies.get(node.port(), caller, path);
    }

    private static List<String> evidenceTypes(Node node, Caller caller, String kind, String id) {
        return get(node, caller, "/api/v1/" + kind + "/" + id + "/evidences").json().findValuesAsString("type");
    }

    private static List<Long> seqs(Node node, String id) {
        return node.jdbc().sql("""
                select link_seq from outbox_event where payload like :subject and link_to is not null order by link_seq""")
                .param("subject", "%\"subject\":\"" + id + "\"%")
                .query(Long.class)
                .list();
    }

    private static List<String> types(Node node, String id) {
        return node.jdbc().sql("select routing_key from outbox_event where payload like :subject order by seq")
                .param("subject", "%\"subject\":\"" + id + "\"%")
                .query(String.class)
                .list();
    }

    private static List<String> inboxTypes(Node node, Caller agency) {
        return node.jdbc().sql("select type from inbox_entry where agency_id = :agency order by seq")
                .param("agency", agency.id())
                .query(String.class)
                .list();
    }

    private static List<String> inboxTypes(Node node, Caller agency, String id) {
        return node.jdbc().sql("""
                select type from inbox_entry where agency_id = :agency and exchange_id = :id order by seq""")
                .param("agency", agency.id())
                .param("id", id)
                .query(String.class)
                .list();
    }

    /** The dead-letter reason of the event {@code eventId} (others dead-lettered meanwhile are dropped). */
    private static String deadLetterReason(Node node, String eventId) {
        RabbitTemplate template = new RabbitTemplate(node.admin());
        Instant deadline = Instant.now().plus(WAIT);
        while (Instant.now().isBefore(deadline)) {
            Message dead = template.receive(Messaging.CASE_TRANSFER_LINK_QUEUE + ".dlq", 500);
            if (dead != null && Json.read(dead.getBody()).id().equals(eventId)) {
                Object reason = dead.getMessageProperties().getHeader(DeadLetterHeaders.FAILURE_REASON);
                return String.valueOf(reason);
            }
        }
        throw new AssertionError("event " + eventId + " was not dead-lettered within " + WAIT);
    }

    /** What the test's own submissions left waiting crosses, so no later test takes it for its own. */
    private static void settleLink() {
        nodes.settle(Duration.ofSeconds(2));
    }

    private static String uuid() {
        return java.util.UUID.randomUUID().toString();
    }

    private static EventEnvelope event(String type, String subject, Caller from, Caller to, Map<String, ?> data) {
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) data;
        return new EventEnvelope(uuid(), "case-transfer-service", type, subject, Instant.now(), null, from.id(),
                to.id(), map);
    }

    /** Publishes {@code event} to the peer of {@code from} as the link does, with link seq {@code seq}. */
    private static void overTheLink(Node from, EventEnvelope event, long seq) {
        MessageProperties props = new MessageProperties();
        props.setHeader(Messaging.HEADER_LINK_SEQ, seq);
        props.setReceivedRoutingKey(event.type());
        nodes.deliver(from, List.of(new Message(Json.write(event).getBytes(java.nio.charset.StandardCharsets.UTF_8),
                props)));
    }

    /** The reason {@code event} was dead-lettered with (other dead letters on the way are passed over). */
    private static String deadLettered(Node node, EventEnvelope event) {
        Instant deadline = Instant.now().plus(WAIT);
        RabbitTemplate template = new RabbitTemplate(node.admin());
        while (Instant.now().isBefore(deadline)) {
            Message dead = template.receive(Messaging.CASE_TRANSFER_LINK_QUEUE + ".dlq", 1000);
            if (dead != null && new String(dead.getBody(), java.nio.charset.StandardCharsets.UTF_8)
                    .contains(event.id())) {
                Object reason = dead.getMessageProperties().getHeader(DeadLetterHeaders.FAILURE_REASON);
                return String.valueOf(reason);
            }
        }
        throw new AssertionError(event.type() + " " + event.id() + " was not dead-lettered within " + WAIT);
    }

    private static int count(Node node, String sql, String id) {
        return node.jdbc().sql(sql).param("id", id).query(Integer.class).single();
    }

    private static String deadLetterReason(Node node) {
        RabbitTemplate template = new RabbitTemplate(node.admin());
        Message dead = template.receive(Messaging.CASE_TRANSFER_LINK_QUEUE + ".dlq", WAIT.toMillis());
        assertThat(dead).as("a dead letter on " + Messaging.CASE_TRANSFER_LINK_QUEUE + ".dlq").isNotNull();
        Object reason = dead.getMessageProperties().getHeader(DeadLetterHeaders.FAILURE_REASON);
        return String.valueOf(reason);
    }
}
