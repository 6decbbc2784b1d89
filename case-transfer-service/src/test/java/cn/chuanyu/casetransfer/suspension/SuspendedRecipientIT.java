package cn.chuanyu.casetransfer.suspension;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import cn.chuanyu.casetransfer.support.Agencies;
import cn.chuanyu.contracts.AgencyKind;
import cn.chuanyu.contracts.AgencyReactivated;
import cn.chuanyu.contracts.AgencySuspended;
import cn.chuanyu.contracts.EventEnvelope;
import cn.chuanyu.contracts.EventTypes;
import cn.chuanyu.contracts.Messaging;
import cn.chuanyu.contracts.Region;
import cn.chuanyu.contracts.Role;
import cn.chuanyu.kit.agency.AgencyDirectory;
import cn.chuanyu.kit.agency.AgencyState;
import cn.chuanyu.kit.identity.Caller;
import cn.chuanyu.kit.json.Json;
import cn.chuanyu.kit.test.TestHttp;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
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
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 13: a suspension announced by the gateway (agency.suspended on the bus) stops new exchanges to the agency and
 * holds its webhook deliveries; the reactivation lets exchanges through again and sends what waited, in order.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "chuanyu.webhooks.allow-private-targets=true",
    "chuanyu.webhooks.poll-interval=100ms",
    "chuanyu.deadlines.scan-interval=1h"})
class SuspendedRecipientIT {

    static final Caller OPERATOR = new Caller("ops-operator", Role.OPERATOR, null, null);

    // Fresh agencies: the database is shared by this run's test classes, and a suspension must not leak into them.
    final String suffix = Long.toString(System.nanoTime(), 36);
    final Caller sender = Agencies.agency("sc-court-" + suffix, Region.SC, AgencyKind.COURT);
    final Caller recipient = Agencies.agency("cq-police-" + suffix, Region.CQ, AgencyKind.PUBLIC_SECURITY);

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        cn.chuanyu.kit.test.TestInfrastructure.register(registry, "case_transfer");
    }

    @LocalServerPort
    int port;

    @Autowired
    AgencyDirectory agencies;

    @Autowired
    RabbitTemplate rabbit;

    @Autowired
    JdbcClient jdbc;

    HttpServer receiver;
    final List<JsonNode> received = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        Agencies.registerIn(agencies, sender, recipient);
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            received.add(JsonMapper.builder().build().readTree(
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void tearDown() {
        receiver.stop(0);
    }

    @Test
    void aSuspendedAgencyIsRefusedAsARecipientAndOperatorsSeeWhatItStrandedUntilItIsReactivated() {
        String stranded = created(submitTransfer());
        Instant suspendedAt = suspend();

        assertRefusedNamingTheAgencyAndItsState(submitTransfer());
        assertRefusedNamingTheAgencyAndItsState(Agencies.post(port, sender, "/api/v1/assistance-requests", """
                {"type": "SERVICE_OF_DOCUMENTS", "toAgency": "%s", "subject": "协助送达", "details": "送达地址…"}"""
                .formatted(recipient.id())));

        JsonNode strandedList = operatorGet("/api/v1/ops/exchanges?overdue=false&recipientState=SUSPENDED&limit=500");
        assertThat(strandedList.path("items").valueStream()
                .filter(item -> recipient.id().equals(item.path("toAgency").asString()))
                .map(item -> item.path("id").asString() + " " + item.path("recipientState").asString()))
                .containsExactly(stranded + " SUSPENDED");
        assertThat(operatorGet("/api/v1/ops/exchanges?overdue=false&recipientState=ACTIVE&limit=500").toString())
                .doesNotContain(stranded);

        reactivate(suspendedAt.plusSeconds(1));
        assertThat(submitTransfer().status()).isEqualTo(201);

        // A suspension older than the reactivation (redelivered, or overtaken on the bus) changes nothing.
        assertThat(agencies.changeState(recipient.id(), AgencyState.SUSPENDED, suspendedAt)).isFalse();
        assertThat(agencies.state(recipient.id())).contains(AgencyState.ACTIVE);
    }

    @Test
    void webhookDeliveriesToASuspendedAgencyWaitUnattemptedAndGoOutInOrderOnReactivation() {
        TestHttp.Response hook = Agencies.post(port, recipient, "/api/v1/webhooks",
                "{\"url\": \"http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook\"}");
        assertThat(hook.status()).as(hook.body()).isEqualTo(201);
        String first = created(submitTransfer());
        String second = created(submitTransfer());
        await().atMost(Duration.ofSeconds(20)).until(() -> received.size() == 2);

        Instant suspendedAt = suspend();
        // Existing exchanges stay workable: the sender withdraws both; their news waits for the suspended agency.
        withdraw(first);
        withdraw(second);
        assertThat(held()).isEqualTo(2);
        // The dispatcher polls every 100 ms: two seconds of silence are twenty passes that left them alone.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> received.size() == 2);
        assertThat(jdbc.sql("select count(*) from webhook_delivery where agency_id = :a and state = 'PENDING'"
                + " and attempts = 0").param("a", recipient.id()).query(Long.class).single()).isEqualTo(2);
        assertThat(Agencies.get(port, recipient, "/api/v1/inbox").json().path("items").size()).isEqualTo(4);

        reactivate(suspendedAt.plusSeconds(1));
        await().atMost(Duration.ofSeconds(20)).until(() -> received.size() == 4);
        assertThat(received.subList(2, 4).stream()
                .map(item -> item.path("type").asString() + " " + item.path("exchangeId").asString()))
                .containsExactly("case-transfer.withdrawn " + first, "case-transfer.withdrawn " + second);
        assertThat(held()).isZero();
    }

    private Instant suspend() {
        Instant at = Instant.now();
        publish(EventTypes.AGENCY_SUSPENDED, at, new AgencySuspended(recipient.id(), "证书泄露", OPERATOR.id()));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> agencies.state(recipient.id()).equals(Optional.of(AgencyState.SUSPENDED)));
        return at;
    }

    private void reactivate(Instant at) {
        publish(EventTypes.AGENCY_REACTIVATED, at, new AgencyReactivated(recipient.id(), OPERATOR.id()));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> agencies.state(recipient.id()).equals(Optional.of(AgencyState.ACTIVE)));
    }

    private static String created(TestHttp.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response.json().path("id").asString();
    }

    private void assertRefusedNamingTheAgencyAndItsState(TestHttp.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(422);
        assertThat(response.contentType()).startsWith("application/problem+json");
        JsonNode error = response.json().path("errors").get(0);
        assertThat(error.path("field").asString()).isEqualTo("toAgency");
        assertThat(error.path("message").asString()).contains(recipient.id(), "SUSPENDED");
    }

    private long held() {
        return jdbc.sql("select count(*) from webhook_delivery where agency_id = :a and state = 'PENDING'")
                .param("a", recipient.id()).query(Long.class).single();
    }

    private TestHttp.Response submitTransfer() {
        return Agencies.post(port, sender, "/api/v1/case-transfers", """
                {"caseNumber": "(2026)川01刑初7号", "title": "跨区域盗窃案", "caseType": "CRIMINAL",
                 "toAgency": "%s", "reason": "犯罪地在重庆"}""".formatted(recipient.id()));
    }

    private void withdraw(String id) {
        TestHttp.Response withdrawn = Agencies.post(port, sender, "/api/v1/case-transfers/" + id + "/withdraw",
                "{\"reason\": \"误送\"}");
        assertThat(withdrawn.status()).as(withdrawn.body()).isEqualTo(200);
    }

    private JsonNode operatorGet(String path) {
        TestHttp.Response response = TestHttp.get("http://localhost:" + port + path, "X-Chuanyu-Principal",
                cn.chuanyu.kit.test.TestInfrastructure.token(OPERATOR));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    /** As the gateway's registry announces it: an event on the bus, which the service's agency queue receives. */
    private void publish(String type, Instant time, Object data) {
        EventEnvelope event = new EventEnvelope(UUID.randomUUID().toString(), "gateway", type, recipient.id(), time,
                null, recipient.id(), null, Json.toMap(data));
        MessageProperties properties = new MessageProperties();
        properties.setContentType("application/json");
        rabbit.send(Messaging.EVENTS_EXCHANGE, type, new Message(Json.write(event).getBytes(StandardCharsets.UTF_8),
                properties));
    }
}
