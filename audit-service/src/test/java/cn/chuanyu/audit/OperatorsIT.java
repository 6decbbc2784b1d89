package cn.chuanyu.audit;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import cn.chuanyu.contracts.EventEnvelope;
import cn.chuanyu.contracts.Messaging;
import cn.chuanyu.contracts.Role;
import cn.chuanyu.kit.identity.Caller;
import cn.chuanyu.kit.json.Json;
import cn.chuanyu.kit.test.TestHttp;
import cn.chuanyu.kit.test.TestInfrastructure;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The operators' backend against the real broker and database, in a vhost of its own (the audit queue has a single
 * active consumer, so this listening context must not share one with {@link AuditTrailIT}): retries with delays,
 * dead letters kept with their reason, replay and discard as audit entries, flows and traces. Short delays here.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.rabbitmq.listener.simple.retry.max-retries=1",
            "spring.rabbitmq.listener.simple.retry.initial-interval=50ms",
            "chuanyu.messaging.max-redeliveries=2",
            "chuanyu.messaging.retry-delays=300ms,300ms,300ms"})
class OperatorsIT {

    private static final Caller OPERATOR = new Caller("ops-operator", Role.OPERATOR, null, null);
    private static final Caller AUDITOR = new Caller("supervisor-auditor", Role.AUDITOR, null, null);
    private static final String VHOST = TestInfrastructure.vhost() + "-ops";

    static {
        TestInfrastructure.rabbitmqctl("add_vhost", VHOST);
        TestInfrastructure.rabbitmqctl("set_permissions", "-p", VHOST, "guest", ".*", ".*", ".*");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> TestInfrastructure.rabbitmqctl("delete_vhost", VHOST)));
    }

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        AuditTestSupport.register(registry, "audit_ops");
        registry.add("spring.rabbitmq.virtual-host", () -> VHOST);
    }

    @LocalServerPort
    int port;

    @Autowired
    RabbitTemplate rabbit;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    MeterRegistry meters;

    @Test
    void aPoisonMessageIsRetriedWithDelaysDeadLetteredWithItsReasonThenReplayedOnceFixedAndProcessedOnce() {
        String exchangeId = UUID.randomUUID().toString();
        String correlation = "corr-poison-" + exchangeId.substring(0, 8);
        // The cause: the audit trail cannot store this exchange's entries (a fault an operator can fix).
        jdbc.sql("""
                create or replace function ops_test_poison() returns trigger language plpgsql as $$
                begin raise exception 'storage fault injected by test for %', new.exchange_id; end; $$""").update();
        jdbc.sql("create trigger ops_test_poison before insert on audit_entry for each row when (new.exchange_id = '"
                + exchangeId + "') execute function ops_test_poison()").update();
        double retriedBefore = retried();
        EventEnvelope event = event("case-transfer.submitted", exchangeId, correlation, Instant.now());
        Instant published = Instant.now();
        publish(event);

        JsonNode letter = await().atMost(Duration.ofSeconds(30)).until(
                () -> one("/api/v1/ops/dead-letters?exchangeId=" + exchangeId), l -> l != null);
        // Two redeliveries through the delay queues (300 ms each), then the third failed round dead-letters it.
        assertThat(Duration.between(published, Instant.parse(letter.path("deadLetteredAt").asString())))
                .isGreaterThanOrEqualTo(Duration.ofMillis(600));
        assertThat(retried() - retriedBefore).isEqualTo(2.0);
        assertThat(letter.path("queue").asString()).isEqualTo(Messaging.AUDIT_QUEUE);
        assertThat(letter.path("eventId").asString()).isEqualTo(event.id());
        assertThat(letter.path("type").asString()).isEqualTo("case-transfer.submitted");
        assertThat(letter.path("correlationId").asString()).isEqualTo(correlation);
        assertThat(letter.path("attempts").asInt()).isEqualTo(3);
        assertThat(letter.path("state").asString()).isEqualTo("PENDING");
        assertThat(letter.path("reason").asString()).contains("storage fault injected by test");
        assertThat(letter.path("payload").asString()).isEqualTo(Json.write(event));
        assertThat(entries("exchangeId=" + exchangeId + "&type=case-transfer.submitted")).isEmpty();

        // The cause is fixed; the operator replays it: recorded exactly once, and the replay is itself an entry.
        jdbc.sql("drop trigger ops_test_poison on audit_entry").update();
        String id = letter.path("id").asString();
        TestHttp.Response replay = post("/api/v1/ops/dead-letters/" + id + "/replay", "{}");
        assertThat(replay.status()).as(replay.body()).isEqualTo(200);
        assertThat(replay.json().path("state").asString()).isEqualTo("REPLAYED");
        assertThat(replay.json().path("replayedAt").isMissingNode()).isFalse();
        assertThat(post("/api/v1/ops/dead-letters/" + id + "/replay", "{}").status()).isEqualTo(409);

        await().atMost(Duration.ofSeconds(20)).until(
                () -> entries("exchangeId=" + exchangeId + "&type=ops.dead-letter-replayed").size() == 1
                        && entries("exchangeId=" + exchangeId + "&type=case-transfer.submitted").size() == 1);
        JsonNode replayed = entries("exchangeId=" + exchangeId + "&type=ops.dead-letter-replayed").get(0);
        assertThat(replayed.path("data").path("deadLetterId").asString()).isEqualTo(id);
        assertThat(replayed.path("data").path("operator").asString()).isEqualTo("ops-operator");
        assertThat(replayed.path("source").asString()).isEqualTo("audit-service");
        // A second copy of the event (e.g. a replay racing a redelivery) would still be recorded once.
        publish(event);
        EventEnvelope marker = event("case-transfer.accepted", exchangeId, correlation, Instant.now());
        publish(marker);
        await().atMost(Duration.ofSeconds(20)).until(
                () -> entries("exchangeId=" + exchangeId + "&type=case-transfer.accepted").size() == 1);
        assertThat(entries("exchangeId=" + exchangeId + "&type=case-transfer.submitted")).hasSize(1);
        assertThat(one("/api/v1/ops/dead-letters?exchangeId=" + exchangeId).path("state").asString())
                .isEqualTo("REPLAYED");

        // The trace of the request shows the event, its dead-lettering, the replay and the recording, in order.
        JsonNode trace = get("/api/v1/ops/trace/" + correlation, OPERATOR).json();
        List<String> kinds = trace.path("timeline").valueStream().map(s -> s.path("kind").asString()).toList();
        assertThat(kinds).containsSubsequence("event", "dead-lettered", "replayed", "audit-recorded");
        assertThat(trace.path("correlationId").asString()).isEqualTo(correlation);
    }

    @Test
    void anUnparseableMessageGoesStraightToTheDeadLettersWithItsReason() {
        String garbage = "not json " + UUID.randomUUID();
        double retriedBefore = retried();
        sendRaw(garbage);
        JsonNode letter = await().atMost(Duration.ofSeconds(20)).until(() -> byPayload(garbage), l -> l != null);
        assertThat(letter.path("attempts").asInt()).isEqualTo(1);
        assertThat(letter.path("reason").asString()).contains("not an event envelope");
        assertThat(letter.path("queue").asString()).isEqualTo(Messaging.AUDIT_QUEUE);
        assertThat(retried()).isEqualTo(retriedBefore);
    }

    @Test
    void discardNeedsAReasonAndIsAnAuditEntry() {
        String garbage = "discard me " + UUID.randomUUID();
        sendRaw(garbage);
        JsonNode letter = await().atMost(Duration.ofSeconds(20)).until(() -> byPayload(garbage), l -> l != null);
        String id = letter.path("id").asString();

        TestHttp.Response noReason = delete("/api/v1/ops/dead-letters/" + id);
        assertThat(noReason.status()).isEqualTo(400);
        assertThat(noReason.json().path("errors").get(0).path("field").asString()).isEqualTo("reason");
        assertThat(delete("/api/v1/ops/dead-letters/" + id + "?reason=").status()).isEqualTo(400);

        TestHttp.Response discarded = delete("/api/v1/ops/dead-letters/" + id + "?reason=test%20garbage");
        assertThat(discarded.status()).as(discarded.body()).isEqualTo(200);
        assertThat(discarded.json().path("state").asString()).isEqualTo("DISCARDED");
        assertThat(post("/api/v1/ops/dead-letters/" + id + "/replay", "{}").status()).isEqualTo(409);
        await().atMost(Duration.ofSeconds(20)).until(
                () -> entries("exchangeId=" + id + "&type=ops.dead-letter-discarded").size() == 1);
        assertThat(entries("exchangeId=" + id + "&type=ops.dead-letter-discarded").get(0).path("data")
                .path("reason").asString()).isEqualTo("test garbage");
        // Only operators.
        assertThat(get("/api/v1/ops/dead-letters", AUDITOR).status()).isEqualTo(403);
    }

    @Test
    void bulkReplayByQueueAndType() {
        String type = "evidence.sealed";
        sendRaw("bulk one " + UUID.randomUUID(), type);
        sendRaw("bulk two " + UUID.randomUUID(), type);
        await().atMost(Duration.ofSeconds(20)).until(
                () -> get("/api/v1/ops/dead-letters?state=PENDING&type=" + type, OPERATOR).json().path("items")
                        .size() == 2);
        List<String> ids = get("/api/v1/ops/dead-letters?state=PENDING&type=" + type, OPERATOR).json()
                .path("items").findValuesAsString("id");
        TestHttp.Response bulk = post("/api/v1/ops/dead-letters/replay",
                "{\"queue\":\"" + Messaging.AUDIT_QUEUE + "\",\"type\":\"" + type + "\"}");
        assertThat(bulk.status()).as(bulk.body()).isEqualTo(200);
        assertThat(bulk.json().path("replayed").asInt()).isEqualTo(2);
        // Each replay of the bulk is an audit entry of its own, naming the dead letter and the operator (a
        // dead letter that names no exchange files its entries under its own id).
        for (String id : ids) {
            await().atMost(Duration.ofSeconds(20)).until(
                    () -> entries("exchangeId=" + id + "&type=ops.dead-letter-replayed").size() == 1);
            JsonNode entry = entries("exchangeId=" + id + "&type=ops.dead-letter-replayed").get(0);
            assertThat(entry.path("data").path("deadLetterId").asString()).isEqualTo(id);
            assertThat(entry.path("data").path("operator").asString()).isEqualTo("ops-operator");
            assertThat(entry.path("source").asString()).isEqualTo("audit-service");
        }
        // Still garbage, so they come back as new dead letters (straight away: never processable).
        await().atMost(Duration.ofSeconds(20)).until(
                () -> get("/api/v1/ops/dead-letters?state=PENDING&type=" + type, OPERATOR).json().path("items")
                        .size() == 2);
        // Neither ids nor a filter: a rule of the request, 422 naming ids.
        TestHttp.Response empty = post("/api/v1/ops/dead-letters/replay", "{}");
        assertThat(empty.status()).isEqualTo(422);
        assertThat(empty.json().path("errors").get(0).path("field").asString()).isEqualTo("ids");
    }

    @Test
    void deadLettersPageByCursorAndRefuseWhatTheyDoNotTake() {
        String type = "paging.test-" + UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < 5; i++) {
            sendRaw("page me " + i + " " + UUID.randomUUID(), type);
        }
        await().atMost(Duration.ofSeconds(20)).until(
                () -> get("/api/v1/ops/dead-letters?type=" + type, OPERATOR).json().path("items").size() == 5);
        List<String> all = get("/api/v1/ops/dead-letters?type=" + type, OPERATOR).json().path("items")
                .findValuesAsString("id");

        List<String> paged = new java.util.ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = get("/api/v1/ops/dead-letters?type=" + type + "&limit=2"
                    + (cursor == null ? "" : "&cursor=" + cursor), OPERATOR).json();
            paged.addAll(page.path("items").findValuesAsString("id"));
            cursor = page.path("nextCursor").isNull() ? null : page.path("nextCursor").asString();
            pages++;
        } while (cursor != null && pages < 10);
        assertThat(pages).isEqualTo(3);
        assertThat(paged).containsExactlyElementsOf(all);

        TestHttp.Response unknown = get("/api/v1/ops/dead-letters?page=2&sort=seq&limit=2", OPERATOR);
        assertThat(unknown.status()).as(unknown.body()).isEqualTo(400);
        assertThat(unknown.json().path("errors").findValuesAsString("field")).containsExactly("page", "sort");
        TestHttp.Response rawSeq = get("/api/v1/ops/dead-letters?cursor=30", OPERATOR);
        assertThat(rawSeq.status()).isEqualTo(400);
        assertThat(rawSeq.json().path("errors").get(0).path("field").asString()).isEqualTo("cursor");

        // A bulk replay body with several problems names all of them.
        TestHttp.Response bulk = post("/api/v1/ops/dead-letters/replay", "{\"ids\": \"one\", \"queu\": \"x\"}");
        assertThat(bulk.status()).as(bulk.body()).isEqualTo(400);
        assertThat(bulk.json().path("errors").findValuesAsString("field")).containsExactlyInAnyOrder("ids", "queu");
    }

    @Test
    void flowsCountEventsPerTypeAndDescribeEveryQueue() {
        String exchangeId = UUID.randomUUID().toString();
        for (int i = 0; i < 3; i++) {
            publish(event("assistance.completed", exchangeId, "corr-flows", Instant.now()));
        }
        await().atMost(Duration.ofSeconds(20)).until(
                () -> entries("exchangeId=" + exchangeId).size() == 3);
        TestHttp.Response response = get("/api/v1/ops/flows?window=5m", OPERATOR);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode flows = response.json();
        assertThat(flows.path("window").asString()).isEqualTo("5m");
        JsonNode completed = flows.path("eventTypes").valueStream()
                .filter(t -> t.path("type").asString().equals("assistance.completed")).findFirst().orElseThrow();
        assertThat(completed.path("published").asLong()).isGreaterThanOrEqualTo(3);
        assertThat(completed.path("ratePerSecond").asDouble()).isGreaterThan(0);
        List<String> names = flows.path("queues").valueStream().map(q -> q.path("name").asString()).toList();
        assertThat(names).containsExactlyElementsOf(Messaging.CONSUMER_QUEUES);
        JsonNode audit = flows.path("queues").get(0);
        assertThat(audit.path("consumers").asInt()).isEqualTo(1);
        assertThat(audit.has("messages")).isTrue();
        assertThat(audit.has("deadLetterQueueDepth")).isTrue();
        assertThat(audit.has("deadLettered")).isTrue();
        assertThat(audit.has("replayed")).isTrue();

        for (String bad : List.of("30s", "25h", "five", "0m")) {
            TestHttp.Response r = get("/api/v1/ops/flows?window=" + bad, OPERATOR);
            assertThat(r.status()).as(bad).isEqualTo(400);
            assertThat(r.json().path("errors").get(0).path("field").asString()).isEqualTo("window");
        }
        assertThat(get("/api/v1/ops/flows?window=24h", OPERATOR).status()).isEqualTo(200);
    }

    @Test
    void traceOrdersGatewayAccessServiceEventsAndAuditRecording() {
        String exchangeId = UUID.randomUUID().toString();
        String correlation = "corr-trace-" + exchangeId.substring(0, 8);
        Instant t0 = Instant.now().minusSeconds(2).truncatedTo(ChronoUnit.MICROS);
        publish(new EventEnvelope(UUID.randomUUID().toString(), "gateway", "gateway.access", correlation, t0,
                correlation, null, null, Map.of("method", "POST", "path", "/api/v1/case-transfers", "status", 201)));
        publish(event("case-transfer.submitted", exchangeId, correlation, t0.plusMillis(5)));
        await().atMost(Duration.ofSeconds(20)).until(
                () -> get("/api/v1/ops/trace/" + correlation, OPERATOR).json().path("timeline").size() == 4);
        List<JsonNode> steps = get("/api/v1/ops/trace/" + correlation, OPERATOR).json().path("timeline")
                .valueStream().toList();
        assertThat(steps.get(0).path("kind").asString()).isEqualTo("gateway-access");
        assertThat(steps.get(0).path("detail").asString()).isEqualTo("POST /api/v1/case-transfers -> 201");
        assertThat(steps.get(1).path("kind").asString()).isEqualTo("event");
        assertThat(steps.get(1).path("exchangeId").asString()).isEqualTo(exchangeId);
        assertThat(steps.stream().skip(2).map(s -> s.path("kind").asString())).containsOnly("audit-recorded");
        for (int i = 1; i < steps.size(); i++) {
            assertThat(Instant.parse(steps.get(i).path("time").asString()))
                    .isAfterOrEqualTo(Instant.parse(steps.get(i - 1).path("time").asString()));
        }
        assertThat(get("/api/v1/ops/trace/nothing-here", OPERATOR).json().path("timeline").size()).isZero();
    }

    @Test
    void outboxMetricsAreExported() {
        TestHttp.Response response = TestHttp.get(url("/actuator/prometheus"));
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).contains("chuanyu_outbox_backlog", "chuanyu_outbox_oldest_unsent_age_seconds",
                "chuanyu_outbox_published_total", "chuanyu_outbox_publish_failed_total");
        assertThat(response.body()).doesNotContain("chuanyu_outbox_backlog NaN");
    }

    private double retried() {
        return meters.find("chuanyu.consumer.retried").tag("queue", Messaging.AUDIT_QUEUE).counters().stream()
                .mapToDouble(Counter::count).sum();
    }

    private JsonNode one(String path) {
        JsonNode items = get(path, OPERATOR).json().path("items");
        return items.size() == 0 ? null : items.get(0);
    }

    private JsonNode byPayload(String payload) {
        for (JsonNode item : get("/api/v1/ops/dead-letters?limit=500", OPERATOR).json().path("items")) {
            if (item.path("payload").asString().equals(payload)) {
                return item;
            }
        }
        return null;
    }

    private List<JsonNode> entries(String query) {
        TestHttp.Response response = get("/api/v1/audit/entries?limit=500&" + query, AUDITOR);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json().path("items").valueStream().toList();
    }

    private static EventEnvelope event(String type, String exchangeId, String correlation, Instant time) {
        return new EventEnvelope(UUID.randomUUID().toString(), "case-transfer-service", type, exchangeId,
                time.truncatedTo(ChronoUnit.MICROS), correlation, "sc-chengdu-intermediate-court",
                "cq-first-intermediate-court", Map.of("caseNumber", "(2026)川01刑初9号"));
    }

    private void publish(EventEnvelope event) {
        MessageProperties properties = new MessageProperties();
        properties.setContentType("application/json");
        properties.setMessageId(event.id());
        rabbit.send(Messaging.EVENTS_EXCHANGE, event.type(),
                new Message(Json.write(event).getBytes(StandardCharsets.UTF_8), properties));
    }

    private void sendRaw(String body) {
        sendRaw(body, "case-transfer.submitted");
    }

    private void sendRaw(String body, String type) {
        MessageProperties properties = new MessageProperties();
        properties.setContentType("application/json");
        properties.setHeader(Messaging.HEADER_EVENT_TYPE, type);
        rabbit.send(Messaging.EVENTS_EXCHANGE, type, new Message(body.getBytes(StandardCharsets.UTF_8), properties));
    }

    private TestHttp.Response get(String path, Caller caller) {
        return TestHttp.get(url(path), "X-Chuanyu-Principal", TestInfrastructure.token(caller));
    }

    private TestHttp.Response post(String path, String json) {
        return TestHttp.postJson(url(path), json, "X-Chuanyu-Principal", TestInfrastructure.token(OPERATOR));
    }

    private TestHttp.Response delete(String path) {
        return TestHttp.send(HttpRequest.newBuilder(URI.create(url(path))).DELETE(),
                "X-Chuanyu-Principal", TestInfrastructure.token(OPERATOR));
    }

    private String url(String path) {
        return "http://localhost:" + port + path;
    }
}
