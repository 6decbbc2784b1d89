package cn.chuanyu.system;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import cn.chuanyu.kit.test.TestHttp;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 13 through real processes: an operator suspends an agency at the gateway, and the services stop sending it
 * exchanges and webhook calls until it is reactivated; then what waited is delivered, in order.
 */
class AgencySuspensionIT {

    static final String SENDER = "sc-chengdu-intermediate-court";

    static Platform platform;
    static HttpServer receiver;
    static final List<JsonNode> received = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startPlatform() throws IOException {
        platform = Platform.shared();
        // The launch recipe lets webhooks target loopback (the demo's setting), so this test's receiver is accepted.
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            received.add(JsonMapper.builder().build().readTree(
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterAll
    static void stopReceiver() {
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    @Test
    void aSuspendedAgencyIsRefusedAsRecipientAndItsWebhookWaitsUntilItIsReactivated() throws Exception {
        String agency = "cq-suspension-" + UUID.randomUUID().toString().substring(0, 8);
        TestHttp.Response registered = asOperator("/api/v1/admin/agencies", """
                {"id": "%s", "name": "重庆市测试法院", "region": "CQ", "kind": "COURT"}""".formatted(agency));
        assertThat(registered.status()).as(registered.body()).isEqualTo(201);
        TestHttp.Response issued = asOperator("/api/v1/admin/agencies/" + agency + "/keys", "{}");
        assertThat(issued.status()).as(issued.body()).isEqualTo(201);
        String key = issued.json().path("apiKey").asString();
        TestHttp.Response hook = post(key, "/api/v1/webhooks",
                "{\"url\": \"http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook\"}");
        assertThat(hook.status()).as(hook.body()).isEqualTo(201);

        // agency.registered crosses the broker: wait until both services have it in their directories.
        await().atMost(Duration.ofSeconds(30)).until(() -> "ACTIVE".equals(state("case_transfer", agency))
                && "ACTIVE".equals(state("evidence", agency)));
        String first = created(submitTransfer(agency));
        String second = created(submitTransfer(agency));
        await().atMost(Duration.ofSeconds(30)).until(() -> received.size() == 2);

        TestHttp.Response suspended = asOperator("/api/v1/admin/agencies/" + agency + "/suspend",
                "{\"reason\": \"密钥泄露\"}");
        assertThat(suspended.status()).as(suspended.body()).isEqualTo(200);
        assertThat(TestHttp.get(platform.url("gateway") + "/api/v1/inbox", "Authorization", "Bearer " + key)
                .status()).isEqualTo(403);
        // agency.suspended crosses the broker too: the window is the outbox relay plus the consumer, here < 30 s.
        await().atMost(Duration.ofSeconds(30)).until(() -> "SUSPENDED".equals(state("case_transfer", agency))
                && "SUSPENDED".equals(state("evidence", agency)));

        assertRefusedNaming(agency, submitTransfer(agency));
        assertRefusedNaming(agency, post(senderKey(), "/api/v1/evidence-packages",
                "{\"title\": \"证据材料\", \"toAgency\": \"" + agency + "\"}"));
        assertThat(withdraw(first).status()).isEqualTo(200);
        assertThat(withdraw(second).status()).isEqualTo(200);
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6)).until(() -> received.size() == 2);

        TestHttp.Response reactivated = asOperator("/api/v1/admin/agencies/" + agency + "/reactivate", "{}");
        assertThat(reactivated.status()).as(reactivated.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> received.size() == 4);
        assertThat(received.subList(2, 4).stream()
                .map(item -> item.path("type").asString() + " " + item.path("exchangeId").asString()))
                .containsExactly("case-transfer.withdrawn " + first, "case-transfer.withdrawn " + second);
        assertThat(submitTransfer(agency).status()).isEqualTo(201);
    }

    private static void assertRefusedNaming(String agency, TestHttp.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(422);
        JsonNode error = response.json().path("errors").get(0);
        assertThat(error.path("field").asString()).isEqualTo("toAgency");
        assertThat(error.path("message").asString()).contains(agency, "SUSPENDED");
    }

    private static String created(TestHttp.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response.json().path("id").asString();
    }

    private static TestHttp.Response submitTransfer(String to) {
        return post(senderKey(), "/api/v1/case-transfers", """
                {"caseNumber": "(2026)川01刑初5号", "title": "跨区域诈骗案", "caseType": "CRIMINAL",
                 "toAgency": "%s", "reason": "被告人户籍地在重庆"}""".formatted(to));
    }

    private static TestHttp.Response withdraw(String id) {
        return post(senderKey(), "/api/v1/case-transfers/" + id + "/withdraw", "{\"reason\": \"误送\"}");
    }

    private static String senderKey() {
        return platform.agencyKey(SENDER);
    }

    private static TestHttp.Response asOperator(String path, String json) {
        return post(platform.credentials().path("operator").path("apiKey").asString(), path, json);
    }

    private static TestHttp.Response post(String key, String path, String json) {
        return TestHttp.postJson(platform.url("gateway") + path, json, "Authorization", "Bearer " + key);
    }

    /** The agency's state in a service's own directory, or null while the service has not heard of it. */
    private static String state(String service, String agency) throws SQLException {
        try (Connection db = platform.database(service);
                PreparedStatement query = db.prepareStatement("select state from agency where id = ?")) {
            query.setString(1, agency);
            try (ResultSet rs = query.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
