package cn.chuanyu.casetransfer.inbox;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import cn.chuanyu.casetransfer.support.Agencies;
import cn.chuanyu.casetransfer.webhook.WebhookSignature;
import cn.chuanyu.contracts.AgencyKind;
import cn.chuanyu.contracts.EventEnvelope;
import cn.chuanyu.contracts.Region;
import cn.chuanyu.kit.agency.AgencyDirectory;
import cn.chuanyu.kit.identity.Caller;
import cn.chuanyu.kit.test.TestHttp;
import cn.chuanyu.kit.test.TestInfrastructure;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The README walkthrough as the parties' systems see it: the inbox of each agency, resumed by cursor, and the same
 * entries pushed to a real HTTP receiver that fails once before accepting.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "chuanyu.webhooks.allow-private-targets=true",
    "chuanyu.webhooks.initial-backoff=300ms",
    "chuanyu.webhooks.poll-interval=100ms",
    "chuanyu.webhooks.max-attempts=3",
    "chuanyu.deadlines.scan-interval=1h"})
class InboxAndWebhooksIT {

    // Fresh agencies per test class run, so inboxes start empty whatever ran before in this database.
    final String suffix = Long.toString(System.nanoTime(), 36);
    final Caller sender = Agencies.agency("sc-court-" + suffix, Region.SC, AgencyKind.COURT);
    final Caller recipient = Agencies.agency("cq-police-" + suffix, Region.CQ, AgencyKind.PUBLIC_SECURITY);
    final Caller outsider = Agencies.agency("cq-justice-" + suffix, Region.CQ, AgencyKind.JUSTICE_BUREAU);

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.register(registry, "case_transfer");
    }

    @LocalServerPort
    int port;

    @Autowired
    AgencyDirectory agencies;

    @Autowired
    Inbox inbox;

    @Autowired
    PlatformTransactionManager transactions;

    HttpServer receiver;
    final List<Received> received = new CopyOnWriteArrayList<>();
    final AtomicInteger calls = new AtomicInteger();

    record Received(String signature, String body, String deliveryId) {
    }

    @BeforeEach
    void setUp() throws IOException {
        Agencies.registerIn(agencies, sender, recipient, outsider);
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            // The first call fails, as a receiver being deployed would; the retry must bring the same delivery.
            int status = calls.incrementAndGet() == 1 ? 503 : 204;
            if (status == 204) {
                received.add(new Received(exchange.getRequestHeaders().getFirst(WebhookSignature.HEADER),
                        new String(body, StandardCharsets.UTF_8),
                        exchange.getRequestHeaders().getFirst("X-Chuanyu-Delivery-Id")));
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void tearDown() {
        receiver.stop(0);
    }

    @Test
    void eachPartySeesTheOthersMovesInItsInboxInOrderAndResumesWithoutGapsOrRepeats() {
        String id = submitTransfer();
        JsonNode recipientInbox = inbox(recipient, null);
        assertThat(types(recipientInbox)).containsExactly("case-transfer.submitted");
        assertThat(recipientInbox.path("items").get(0).path("exchangeId").asString()).isEqualTo(id);
        String recipientCursor = recipientInbox.path("nextCursor").asString();

        assertThat(Agencies.post(port, recipient, "/api/v1/case-transfers/" + id + "/accept", "{}").status())
                .isEqualTo(200);
        JsonNode senderInbox = inbox(sender, null);
        assertThat(types(senderInbox)).containsExactly("case-transfer.accepted");
        assertThat(senderInbox.path("items").get(0).path("data").path("actor").asString()).isEqualTo(recipient.id());

        // Nothing new for the recipient: the same cursor comes back, so a poller stays put.
        JsonNode nothingNew = inbox(recipient, recipientCursor);
        assertThat(nothingNew.path("items").size()).isZero();
        assertThat(nothingNew.path("nextCursor").asString()).isEqualTo(recipientCursor);

        String second = submitTransfer();
        String requestId = Agencies.post(port, sender, "/api/v1/assistance-requests", """
                {"type": "SERVICE_OF_DOCUMENTS", "toAgency": "%s", "subject": "协助送达判决书", "details": "送达地址…"}"""
                .formatted(recipient.id())).json().path("id").asString();
        JsonNode resumed = inbox(recipient, recipientCursor);
        assertThat(types(resumed)).containsExactly("case-transfer.submitted", "assistance.submitted");
        assertThat(resumed.path("items").valueStream().map(item -> item.path("exchangeId").asString()))
                .containsExactly(second, requestId);
        JsonNode paged = inbox(recipient, recipientCursor + "&limit=1");
        assertThat(paged.path("items").size()).isEqualTo(1);
        assertThat(types(inbox(recipient, paged.path("nextCursor").asString()))).containsExactly("assistance.submitted");

        assertThat(inbox(outsider, null).path("items").size()).isZero();
        assertThat(Agencies.get(port, outsider, "/api/v1/case-transfers/" + id).status()).isEqualTo(404);
        assertThat(Agencies.get(port, recipient, "/api/v1/inbox?after=-3").status()).isEqualTo(400);
    }

    @Test
    void inboxEntriesArePushedToTheAgencysWebhookSignedAndRetriedUntilAccepted() throws Exception {
        TestHttp.Response registered = Agencies.post(port, recipient, "/api/v1/webhooks",
                "{\"url\": \"http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook\", \"description\": \"案件系统\"}");
        assertThat(registered.status()).as(registered.body()).isEqualTo(201);
        String secret = registered.json().path("secret").asString();
        String hookId = registered.json().path("id").asString();
        assertThat(secret).startsWith("whsec_");
        assertThat(Agencies.get(port, recipient, "/api/v1/webhooks").body()).doesNotContain(secret);

        String id = submitTransfer();

        await().atMost(Duration.ofSeconds(20)).until(() -> !received.isEmpty());
        Received delivery = received.get(0);
        JsonNode payload = JsonMapper.builder().build().readTree(delivery.body());
        assertThat(payload.path("exchangeId").asString()).isEqualTo(id);
        assertThat(payload.path("type").asString()).isEqualTo("case-transfer.submitted");

        String[] parts = delivery.signature().split(",");
        long timestamp = Long.parseLong(parts[0].substring(2));
        assertThat(Math.abs(Instant.now().getEpochSecond() - timestamp)).isLessThan(60);
        assertThat(parts[1]).isEqualTo("v1=" + WebhookSignature.hmac(secret, timestamp,
                delivery.body().getBytes(StandardCharsets.UTF_8)));
        assertThat(parts[1]).isNotEqualTo("v1=" + WebhookSignature.hmac("whsec_wrong", timestamp,
                delivery.body().getBytes(StandardCharsets.UTF_8)));

        // The receiver saw the body before the dispatcher recorded its answer.
        await().atMost(Duration.ofSeconds(10)).until(() -> "DELIVERED".equals(Agencies.get(port, recipient,
                "/api/v1/webhooks/" + hookId + "/deliveries").json().path("items").get(0).path("state").asString()));
        JsonNode attempts = Agencies.get(port, recipient, "/api/v1/webhooks/" + hookId + "/deliveries").json()
                .path("items");
        assertThat(attempts.get(0).path("attempts").asInt()).isEqualTo(2);
        assertThat(attempts.get(0).path("id").asString()).isEqualTo(delivery.deliveryId());
        assertThat(Agencies.get(port, sender, "/api/v1/webhooks/" + hookId + "/deliveries").status()).isEqualTo(404);

        // Operators see every agency's deliveries; agencies do not get this view.
        TestHttp.Response ops = TestHttp.get("http://localhost:" + port + "/api/v1/ops/webhook-deliveries?agency="
                + recipient.id(), "X-Chuanyu-Principal", TestInfrastructure.token(new Caller("ops-operator",
                        cn.chuanyu.contracts.Role.OPERATOR, null, null)));
        assertThat(ops.status()).isEqualTo(200);
        assertThat(ops.json().path("items").get(0).path("attempts").asInt()).isEqualTo(2);
        assertThat(ops.json().path("items").get(0).path("lastError").isNull()).isTrue();
        assertThat(Agencies.get(port, recipient, "/api/v1/ops/webhook-deliveries").status()).isEqualTo(403);
    }

    @Test
    void anEntryCannotCommitAheadOfAnEarlierOneToTheSameAgency() throws Exception {
        TransactionTemplate tx = new TransactionTemplate(transactions);
        CountDownLatch firstWritten = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            // The first transaction writes its entry, then stalls just before its commit (a slow disk, a pause).
            Future<?> first = pool.submit(() -> tx.executeWithoutResult(status -> {
                inbox.deliver(event("first"), List.of(recipient.id()));
                TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                    @Override
                    public void beforeCommit(boolean readOnly) {
                        firstWritten.countDown();
                        await().atMost(Duration.ofSeconds(20)).until(() -> releaseFirst.getCount() == 0);
                    }
                });
            }));
            assertThat(firstWritten.await(10, TimeUnit.SECONDS)).isTrue();
            Future<?> second = pool.submit(() -> tx.executeWithoutResult(
                    status -> inbox.deliver(event("second"), List.of(recipient.id()))));

            // Had the second committed now, a reader would move its cursor past the first's number for good.
            Thread.sleep(700);
            assertThat(second.isDone()).as("second entry committed while an earlier one was pending").isFalse();
            assertThat(types(inbox(recipient, null))).isEmpty();

            releaseFirst.countDown();
            first.get(10, TimeUnit.SECONDS);
            second.get(10, TimeUnit.SECONDS);
            assertThat(inbox(recipient, null).path("items").valueStream()
                    .map(item -> item.path("exchangeId").asString()).toList())
                    .containsExactly("first-" + suffix, "second-" + suffix);
        }
        finally {
            releaseFirst.countDown();
            pool.shutdownNow();
        }
    }

    private EventEnvelope event(String name) {
        return new EventEnvelope(java.util.UUID.randomUUID().toString(), "case-transfer-service",
                "case-transfer.submitted", name + "-" + suffix, Instant.now(), "corr-" + name, sender.id(),
                recipient.id(), java.util.Map.of());
    }

    @Test
    void aWebhookThatFailsEveryAttemptEndsFailedAndOperatorsSeeIt() {
        AtomicInteger refused = new AtomicInteger();
        receiver.createContext("/down", exchange -> {
            exchange.getRequestBody().readAllBytes();
            refused.incrementAndGet();
            exchange.sendResponseHeaders(500, -1);
            exchange.close();
        });
        TestHttp.Response registered = Agencies.post(port, recipient, "/api/v1/webhooks",
                "{\"url\": \"http://127.0.0.1:" + receiver.getAddress().getPort() + "/down\"}");
        assertThat(registered.status()).as(registered.body()).isEqualTo(201);
        String hookId = registered.json().path("id").asString();

        submitTransfer();

        // max-attempts=3 with 300 ms, then 600 ms back-off: FAILED within about a second of the first attempt.
        String deliveries = "/api/v1/webhooks/" + hookId + "/deliveries";
        await().atMost(Duration.ofSeconds(30)).until(() -> "FAILED".equals(Agencies.get(port, recipient, deliveries)
                .json().path("items").path(0).path("state").asString()));
        JsonNode delivery = Agencies.get(port, recipient, deliveries).json().path("items").get(0);
        assertThat(delivery.path("attempts").asInt()).isEqualTo(3);
        assertThat(delivery.path("lastStatus").asInt()).isEqualTo(500);
        // The agency gets a generic reason; the detail is the operators'.
        assertThat(delivery.path("lastError").asString()).isEqualTo("delivery failed");
        assertThat(delivery.path("deliveredAt").isNull()).isTrue();
        assertThat(refused.get()).isEqualTo(3);

        TestHttp.Response ops = TestHttp.get("http://localhost:" + port + "/api/v1/ops/webhook-deliveries?state=FAILED"
                + "&agency=" + recipient.id(), "X-Chuanyu-Principal", TestInfrastructure.token(new Caller(
                        "ops-operator", cn.chuanyu.contracts.Role.OPERATOR, null, null)));
        assertThat(ops.status()).as(ops.body()).isEqualTo(200);
        JsonNode seen = ops.json().path("items");
        assertThat(seen.size()).isEqualTo(1);
        assertThat(seen.get(0).path("id").asString()).isEqualTo(delivery.path("id").asString());
        assertThat(seen.get(0).path("state").asString()).isEqualTo("FAILED");
        assertThat(seen.get(0).path("attempts").asInt()).isEqualTo(3);
        assertThat(seen.get(0).path("lastStatus").asInt()).isEqualTo(500);
        assertThat(seen.get(0).path("lastError").asString()).isEqualTo("receiver answered 500");
        assertThat(seen.get(0).path("url").asString()).endsWith("/down");
        // Given up: no fourth attempt comes however long one waits past the back-off.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> refused.get() == 3);
    }

    @Test
    void aRetriedRegistrationNeverShowsTheSecretAgainNorRegistersASecondWebhook() {
        String key = "hook-" + suffix;
        // A local receiver: registration resolves the host, and this machine has no DNS for public names.
        String body = "{\"url\": \"http://127.0.0.1:" + receiver.getAddress().getPort() + "/" + suffix + "\"}";
        TestHttp.Response registered = Agencies.post(port, outsider, "/api/v1/webhooks", body, "Idempotency-Key", key);
        assertThat(registered.status()).as(registered.body()).isEqualTo(201);
        String secret = registered.json().path("secret").asString();
        assertThat(secret).startsWith("whsec_");

        TestHttp.Response replay = Agencies.post(port, outsider, "/api/v1/webhooks", body, "Idempotency-Key", key);
        assertThat(replay.body()).doesNotContain(secret);
        assertThat(replay.status()).as(replay.body()).isEqualTo(409);
        assertThat(replay.header("Location")).isEqualTo(registered.header("Location"));
        assertThat(Agencies.get(port, outsider, "/api/v1/webhooks").json().path("items").size()).isOne();

        assertThat(TestHttp.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + port
                + registered.header("Location"))).DELETE(), "X-Chuanyu-Principal",
                TestInfrastructure.token(outsider)).status()).isEqualTo(204);
        TestHttp.Response afterDelete = Agencies.post(port, outsider, "/api/v1/webhooks", body, "Idempotency-Key",
                key);
        assertThat(afterDelete.body()).doesNotContain(secret);
        assertThat(afterDelete.status()).isEqualTo(409);
        assertThat(Agencies.get(port, outsider, "/api/v1/webhooks").json().path("items").size()).isZero();
        // Nor may an HTTP cache on the way keep it.
        assertThat(registered.header("Cache-Control")).contains("no-store");
    }

    @Test
    void webhookUrlsAreValidated() {
        assertThat(Agencies.post(port, recipient, "/api/v1/webhooks", "{\"url\": \"ftp://example.org/x\"}").status())
                .isEqualTo(422);
        assertThat(Agencies.post(port, recipient, "/api/v1/webhooks", "{\"url\": \"not a url\"}").status())
                .isEqualTo(422);
        assertThat(Agencies.post(port, recipient, "/api/v1/webhooks", "{}").status()).isEqualTo(400);
        assertThat(TestHttp.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                "http://localhost:" + port + "/api/v1/webhooks/" + java.util.UUID.randomUUID())).DELETE(),
                "X-Chuanyu-Principal", TestInfrastructure.token(recipient)).status()).isEqualTo(404);
    }

    private String submitTransfer() {
        TestHttp.Response created = Agencies.post(port, sender, "/api/v1/case-transfers", """
                {"caseNumber": "(2026)川01刑初9号", "title": "跨区域盗窃案", "caseType": "CRIMINAL",
                 "toAgency": "%s", "reason": "犯罪地在重庆"}""".formatted(recipient.id()));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().path("id").asString();
    }

    private JsonNode inbox(Caller caller, String after) {
        TestHttp.Response response = Agencies.get(port, caller, "/api/v1/inbox"
                + (after == null ? "" : "?after=" + after));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    private static List<String> types(JsonNode page) {
        return page.path("items").valueStream().map(item -> item.path("type").asString()).toList();
    }
}
