package cn.chuanyu.casetransfer.link;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import cn.chuanyu.casetransfer.support.Agencies;
import cn.chuanyu.contracts.DeliveryEvidenceIssued;
import cn.chuanyu.contracts.EventEnvelope;
import cn.chuanyu.contracts.Messaging;
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

    static TwoNodes nodes;

    @BeforeAll
    static void start() throws Exception {
        nodes = new TwoNodes();
    }

    @AfterAll
    static void stop() {
        if (nodes != null) {
            nodes.close();
        }
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

    private static String deadLetterReason(Node node) {
        RabbitTemplate template = new RabbitTemplate(node.admin());
        Message dead = template.receive(Messaging.CASE_TRANSFER_LINK_QUEUE + ".dlq", WAIT.toMillis());
        assertThat(dead).as("a dead letter on " + Messaging.CASE_TRANSFER_LINK_QUEUE + ".dlq").isNotNull();
        Object reason = dead.getMessageProperties().getHeader(DeadLetterHeaders.FAILURE_REASON);
        return String.valueOf(reason);
    }
}
