package cn.chuanyu.gateway.identity;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import cn.chuanyu.gateway.GatewayTestSupport;
import cn.chuanyu.kit.identity.Ed25519Keys;
import cn.chuanyu.kit.note.NoteSigner;
import cn.chuanyu.kit.test.TestHttp;
import cn.chuanyu.kit.test.TestInfrastructure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A gateway of the Sichuan node in two-region mode: it seeds and registers only SC agencies, and every directory
 * event about them leaves with a link route to CQ (the relay turns it into the {@code cy-link-to} header).
 */
class TwoRegionRegistryIT {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static ConfigurableApplicationContext gateway;
    static int port;
    static JsonNode credentials;
    static JdbcClient jdbc;

    @BeforeAll
    static void startScGateway() throws IOException {
        Path dir = Files.createTempDirectory("cyx-two-regions");
        Map<String, Object> properties = new HashMap<>(TestInfrastructure.properties("gateway-sc"));
        properties.put("chuanyu.demo.credentials-file", dir.resolve("demo-credentials.json").toString());
        properties.put("server.port", 0);
        properties.put("chuanyu.node.region", "SC");
        properties.put("chuanyu.node.name", "sc.chuanyu.test");
        properties.put("chuanyu.node.key-file", dir.resolve("node.key").toString());
        properties.put("chuanyu.node.gateway-url", "http://localhost:18080");
        properties.put("chuanyu.node.peer.region", "CQ");
        properties.put("chuanyu.node.peer.name", "cq.chuanyu.test");
        properties.put("chuanyu.node.peer.verifier-key",
                new NoteSigner("cq.chuanyu.test", Ed25519Keys.generate()).verifierKey());
        gateway = GatewayTestSupport.start(properties);
        port = Integer.parseInt(gateway.getEnvironment().getProperty("local.server.port"));
        credentials = JSON.readTree(Files.readString(dir.resolve("demo-credentials.json")));
        jdbc = gateway.getBean(JdbcClient.class);
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void theDemoSeedsOnlyThisRegionsAgenciesEachWithItsGatewayUrl() {
        List<String> agencies = credentials.path("agencies").propertyNames().stream().toList();
        assertThat(agencies).containsExactlyInAnyOrder("sc-chengdu-intermediate-court", "sc-chengdu-procuratorate",
                "sc-mianyang-public-security");
        assertThat(credentials.path("agencies").path("sc-chengdu-procuratorate").path("gatewayUrl").asString())
                .isEqualTo("http://localhost:18080");
        assertThat(credentials.path("operator").path("apiKey").asString()).isNotBlank();
        assertThat(credentials.path("auditor").path("apiKey").asString()).isNotBlank();
        // Seeding and the start-up announcement both cross to CQ.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(linkTo("agency.registered",
                "sc-chengdu-procuratorate")).isNotEmpty().containsOnly("CQ"));
    }

    @Test
    void anAgencyOfThePeerRegionIsRefusedNamingTheRegionField() {
        TestHttp.Response refused = create("cq-" + UUID.randomUUID().toString().substring(0, 8), "CQ");
        assertThat(refused.status()).as(refused.body()).isEqualTo(422);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.json().path("errors").get(0).path("field").asString()).isEqualTo("region");
        assertThat(refused.json().path("errors").get(0).path("message").asString()).contains("CQ node");
    }

    @Test
    void registrationSuspensionAndReactivationOfALocalAgencyCrossToThePeer() {
        String id = "sc-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(create(id, "SC").status()).isEqualTo(201);
        String operator = "Bearer " + credentials.path("operator").path("apiKey").asString();
        TestHttp.Response suspended = TestHttp.postJson(url("/api/v1/admin/agencies/" + id + "/suspend"),
                "{\"reason\":\"test\"}", "Authorization", operator);
        assertThat(suspended.status()).as(suspended.body()).isEqualTo(200);
        TestHttp.Response reactivated = TestHttp.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(url("/api/v1/admin/agencies/" + id + "/reactivate")))
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()), "Authorization", operator);
        assertThat(reactivated.status()).as(reactivated.body()).isEqualTo(200);

        assertThat(linkTo("agency.registered", id)).containsExactly("CQ");
        assertThat(linkTo("agency.suspended", id)).containsExactly("CQ");
        assertThat(linkTo("agency.reactivated", id)).containsExactly("CQ");
        // Key events stay on this node.
        assertThat(TestHttp.postJson(url("/api/v1/admin/agencies/" + id + "/keys"), "{}", "Authorization", operator)
                .status()).isEqualTo(201);
        assertThat(linkTo("agency.key-issued", id)).containsExactly((String) null);
    }

    private static List<String> linkTo(String type, String subject) {
        return jdbc.sql("select link_to from outbox_event where routing_key = :type and payload like :s order by seq")
                .param("type", type).param("s", "%\"subject\":\"" + subject + "\"%")
                .query((rs, n) -> rs.getString(1)).list();
    }

    private static TestHttp.Response create(String id, String region) {
        return TestHttp.postJson(url("/api/v1/admin/agencies"), "{\"id\":\"" + id + "\",\"name\":\"测试法院 " + id
                + "\",\"region\":\"" + region + "\",\"kind\":\"COURT\"}",
                "Authorization", "Bearer " + credentials.path("operator").path("apiKey").asString());
    }

    private static String url(String path) {
        return "http://localhost:" + port + path;
    }
}
