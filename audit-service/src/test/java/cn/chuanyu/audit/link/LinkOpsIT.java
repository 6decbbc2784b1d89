package cn.chuanyu.audit.link;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

import cn.chuanyu.audit.AuditTestSupport;
import cn.chuanyu.contracts.AgencyKind;
import cn.chuanyu.contracts.Messaging;
import cn.chuanyu.contracts.Region;
import cn.chuanyu.contracts.Role;
import cn.chuanyu.kit.identity.Caller;
import cn.chuanyu.kit.identity.Ed25519Keys;
import cn.chuanyu.kit.node.NodeIdentity;
import cn.chuanyu.kit.note.NoteSigner;
import cn.chuanyu.kit.test.BrokerAdmin;
import cn.chuanyu.kit.test.TestHttp;
import cn.chuanyu.kit.test.TestInfrastructure;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
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
 * The link operations of a Sichuan node against the real broker: two vhosts of this test's own stand for the SC
 * and CQ brokers, a dynamic Shovel {@code link-to-cq} moves {@code chuanyu.link.to-cq} (SC) to
 * {@code chuanyu.link.in} (CQ), and the service reads and steers it as a policymaker user of its own. Paused,
 * messages wait and age; resumed, they flow; both actions are audited; the gauges follow.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"chuanyu.link.ops.poll-interval=300ms",
            "chuanyu.node.region=SC",
            "chuanyu.node.name=sc.chuanyu.test",
            "chuanyu.node.gateway-url=http://localhost:18080",
            "chuanyu.node.peer.region=CQ",
            "chuanyu.node.peer.name=cq.chuanyu.test",
            "chuanyu.node.peer.gateway-url=http://localhost:19080"})
class LinkOpsIT {

    static final Caller OPERATOR = new Caller("ops-operator", Role.OPERATOR, null, null);
    static final Caller AGENCY = new Caller("sc-chengdu-intermediate-court", Role.AGENCY, Region.SC,
            AgencyKind.COURT);
    static final String SC = "cyx-test-link-sc-" + TestInfrastructure.RUN_ID;
    static final String CQ = "cyx-test-link-cq-" + TestInfrastructure.RUN_ID;
    static final String ADMIN = "cyx-test-link-admin-" + TestInfrastructure.RUN_ID;
    static final String ADMIN_PASSWORD = UUID.randomUUID().toString();
    static final String OUT = Messaging.linkOutQueue("CQ");
    static final String ARRIVED = "cyx-test.arrived";
    static final String PEER_KEY = new NoteSigner("cq.chuanyu.test", Ed25519Keys.generate()).verifierKey();
    static final Path SHOVEL_FILE;

    static {
        for (String vhost : List.of(SC, CQ)) {
            TestInfrastructure.rabbitmqctl("add_vhost", vhost);
            TestInfrastructure.rabbitmqctl("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*");
            // Deleted when the JVM ends: the context holds connections to SC until then.
            Runtime.getRuntime().addShutdownHook(new Thread(() -> TestInfrastructure.rabbitmqctl("delete_vhost", vhost)));
        }
        // What the launch recipe declares: the outbound queue on SC, the link exchange on CQ (and a queue to
        // see arrivals), the Shovel between them, an admin user with the policymaker tag.
        BrokerAdmin.put("/api/queues/" + BrokerAdmin.segment(SC) + "/" + OUT, "{\"durable\":true}");
        BrokerAdmin.declareExchange(CQ, Messaging.LINK_IN_EXCHANGE, "topic");
        BrokerAdmin.put("/api/queues/" + BrokerAdmin.segment(CQ) + "/" + ARRIVED, "{\"durable\":true}");
        BrokerAdmin.send("POST", "/api/bindings/" + BrokerAdmin.segment(CQ) + "/e/" + Messaging.LINK_IN_EXCHANGE
                + "/q/" + ARRIVED, "{\"routing_key\":\"#\"}");
        BrokerAdmin.user(ADMIN, ADMIN_PASSWORD, "policymaker", SC, ".*", ".*", ".*");
        String shovel = """
                {"value": {"src-protocol": "amqp091", "src-uri": "amqp://guest:guest@localhost/%s",
                  "src-queue": "%s", "dest-protocol": "amqp091", "dest-uri": "amqp://guest:guest@localhost/%s",
                  "dest-exchange": "%s", "ack-mode": "on-confirm"}}""".formatted(BrokerAdmin.segment(SC), OUT,
                BrokerAdmin.segment(CQ), Messaging.LINK_IN_EXCHANGE);
        try {
            SHOVEL_FILE = Files.createTempDirectory("cyx-link").resolve("shovel-to-cq.json");
            Files.writeString(SHOVEL_FILE, shovel);
        }
        catch (java.io.IOException ex) {
            throw new IllegalStateException(ex);
        }
        BrokerAdmin.put("/api/parameters/shovel/" + BrokerAdmin.segment(SC) + "/link-to-cq", shovel);
    }

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        AuditTestSupport.register(registry, "audit_link");
        registry.add("spring.rabbitmq.virtual-host", () -> SC);
        registry.add("chuanyu.node.peer.verifier-key", () -> PEER_KEY);
        registry.add("chuanyu.link.ops.admin-user", () -> ADMIN);
        registry.add("chuanyu.link.ops.admin-password", () -> ADMIN_PASSWORD);
        registry.add("chuanyu.link.ops.shovel-file", SHOVEL_FILE::toString);
    }

    @AfterAll
    static void cleanUp() {
        BrokerAdmin.send("DELETE", "/api/parameters/shovel/" + BrokerAdmin.segment(SC) + "/link-to-cq", null);
        BrokerAdmin.deleteUser(ADMIN);
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    MeterRegistry meters;

    @Autowired
    NodeIdentity node;

    @Test
    void pausedTheLinkHoldsMessagesThatAgeAndResumedTheyFlowBothActionsAudited() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(link().path("state").asString()).isEqualTo("RUNNING"));
        assertThat(link().path("since").asString()).isNotBlank();

        // Running: a message crosses.
        String first = send(Instant.now());
        awaitArrived(first);

        TestHttp.Response paused = post("/api/v1/ops/links/CQ/pause", OPERATOR);
        assertThat(paused.status()).as(paused.body()).isEqualTo(200);
        assertThat(paused.json().path("state").asString()).isEqualTo("PAUSED");
        assertThat(paused.json().path("reason").asString()).startsWith("paused");
        TestHttp.Response again = post("/api/v1/ops/links/cq/pause", OPERATOR);
        assertThat(again.status()).as(again.body()).isEqualTo(409);
        assertThat(again.contentType()).startsWith("application/problem+json");

        // Paused: three wait, the oldest made 40 s ago.
        List<String> waiting = List.of(send(Instant.now().minusSeconds(40)), send(Instant.now()), send(Instant.now()));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode link = link();
            assertThat(link.path("outboundWaiting").asLong()).isEqualTo(3);
            assertThat(link.path("oldestWaitingAge").asLong()).isBetween(39L, 120L);
        });
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(meters.get("chuanyu.link.messages.waiting").tag("peer", "CQ").tag("direction", "outbound")
                    .gauge().value()).isEqualTo(3.0);
            assertThat(meters.get("chuanyu.link.backlog.age").tag("peer", "CQ").gauge().value())
                    .isGreaterThanOrEqualTo(39.0);
        });
        assertThat(receive(Duration.ofSeconds(1))).isNull();

        TestHttp.Response resumed = post("/api/v1/ops/links/CQ/resume", OPERATOR);
        assertThat(resumed.status()).as(resumed.body()).isEqualTo(200);
        assertThat(resumed.json().path("state").asString()).isIn("RUNNING", "STARTING");
        assertThat(post("/api/v1/ops/links/CQ/resume", OPERATOR).status()).isEqualTo(409);
        waiting.forEach(this::awaitArrived);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode link = link();
            assertThat(link.path("state").asString()).isEqualTo("RUNNING");
            assertThat(link.path("outboundWaiting").asLong()).isZero();
            assertThat(link.path("oldestWaitingAge").isNull()).isTrue();
            assertThat(link.path("lastDeliveryAt").asString()).isNotBlank();
        });

        List<String> audited = jdbc.sql("""
                select routing_key from outbox_event where routing_key like 'ops.link-%' order by created_at""")
                .query(String.class).list();
        assertThat(audited).containsExactly("ops.link-paused", "ops.link-resumed");
        assertThat(jdbc.sql("select payload from outbox_event where routing_key = 'ops.link-paused'")
                .query(String.class).single()).contains("\"operator\":\"ops-operator\"", "\"peer\":\"CQ\"",
                "\"shovel\":\"link-to-cq\"");
    }

    @Test
    void unknownPeersAreNotFoundAndOnlyOperatorsSteerTheLink() {
        TestHttp.Response unknown = post("/api/v1/ops/links/BJ/pause", OPERATOR);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.contentType()).startsWith("application/problem+json");
        assertThat(post("/api/v1/ops/links/SC/resume", OPERATOR).status()).isEqualTo(404);
        assertThat(post("/api/v1/ops/links/CQ/pause", AGENCY).status()).isEqualTo(403);
        assertThat(get("/api/v1/ops/links", AGENCY).status()).isEqualTo(403);
    }

    @Test
    void anyCallerSeesBothNodesWithTheirKeysAndTheLink() {
        TestHttp.Response nodes = get("/api/v1/nodes", AGENCY);
        assertThat(nodes.status()).as(nodes.body()).isEqualTo(200);
        JsonNode self = nodes.json().get(0);
        assertThat(self.path("region").asString()).isEqualTo("SC");
        assertThat(self.path("name").asString()).isEqualTo("sc.chuanyu.test");
        assertThat(self.path("gatewayUrl").asString()).isEqualTo("http://localhost:18080");
        assertThat(self.path("verifierKey").asString()).isEqualTo(node.signer().verifierKey());
        assertThat(self.path("self").asBoolean()).isTrue();
        JsonNode peer = nodes.json().get(1);
        assertThat(peer.path("region").asString()).isEqualTo("CQ");
        assertThat(peer.path("gatewayUrl").asString()).isEqualTo("http://localhost:19080");
        assertThat(peer.path("verifierKey").asString()).isEqualTo(PEER_KEY);
        assertThat(peer.path("self").asBoolean()).isFalse();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                get("/api/v1/nodes", AGENCY).json().get(1).path("link").path("state").asString())
                .isIn("RUNNING", "STARTING", "PAUSED", "DOWN"));
    }

    private JsonNode link() {
        TestHttp.Response links = get("/api/v1/ops/links", OPERATOR);
        assertThat(links.status()).as(links.body()).isEqualTo(200);
        assertThat(links.json().size()).isEqualTo(1);
        JsonNode link = links.json().get(0);
        assertThat(link.path("peer").asString()).isEqualTo("CQ");
        return link;
    }

    /** As the outbox relay sends: persistent, timestamped, with an id. */
    private static String send(Instant timestamp) {
        String id = UUID.randomUUID().toString();
        CachingConnectionFactory factory = new CachingConnectionFactory("localhost");
        factory.setVirtualHost(SC);
        try {
            MessageProperties properties = new MessageProperties();
            properties.setMessageId(id);
            properties.setTimestamp(Date.from(timestamp));
            new RabbitTemplate(factory).send("", OUT, new Message(id.getBytes(StandardCharsets.UTF_8), properties));
        }
        finally {
            factory.destroy();
        }
        return id;
    }

    private void awaitArrived(String id) {
        Message message = receive(Duration.ofSeconds(30));
        assertThat(message).as("message " + id + " crossed").isNotNull();
        assertThat(message.getMessageProperties().getMessageId()).isEqualTo(id);
    }

    private static Message receive(Duration within) {
        CachingConnectionFactory factory = new CachingConnectionFactory("localhost");
        factory.setVirtualHost(CQ);
        try {
            return new RabbitTemplate(factory).receive(ARRIVED, within.toMillis());
        }
        finally {
            factory.destroy();
        }
    }

    private TestHttp.Response get(String path, Caller caller) {
        return TestHttp.get("http://localhost:" + port + path, "X-Chuanyu-Principal", TestInfrastructure.token(caller));
    }

    private TestHttp.Response post(String path, Caller caller) {
        return TestHttp.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .POST(HttpRequest.BodyPublishers.noBody()), "X-Chuanyu-Principal", TestInfrastructure.token(caller));
    }
}
