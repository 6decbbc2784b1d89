package cn.chuanyu.gateway.identity;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;

import cn.chuanyu.gateway.GatewayTestSupport;
import cn.chuanyu.kit.test.TestHttp;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** Operators manage operator and auditor keys through the admin API, and cannot lock the platform out. */
class StaffKeysIT extends GatewayTestSupport {

    @Test
    void anOperatorIssuesAndRevokesAnAuditorKeyWhichStopsWorkingAtOnce() {
        TestHttp.Response issued = post("/api/v1/admin/staff/supervisor-auditor/keys", operatorKey(), "{}");
        assertThat(issued.status()).as(issued.body()).isEqualTo(201);
        assertThat(issued.header("Cache-Control")).contains("no-store");
        String key = issued.json().path("apiKey").asString();
        String keyId = issued.json().path("id").asString();
        assertThat(issued.header("Location")).isEqualTo("/api/v1/admin/staff/supervisor-auditor/keys/" + keyId);
        assertThat(get("/api/v1/audit/entries", key).status()).isNotEqualTo(401);

        JsonNode listed = get("/api/v1/admin/staff/supervisor-auditor", operatorKey()).json();
        assertThat(listed.path("role").asString()).isEqualTo("AUDITOR");
        assertThat(listed.path("keys").valueStream().map(k -> k.path("id").asString())).contains(keyId);
        assertThat(listed.toString()).doesNotContain(key).doesNotContain(auditorKey()).doesNotContain("hash");

        assertThat(delete("/api/v1/admin/staff/supervisor-auditor/keys/" + keyId, operatorKey()).status())
                .isEqualTo(204);
        assertThat(get("/api/v1/audit/entries", key).status()).isEqualTo(401);
        assertThat(get("/api/v1/audit/entries", auditorKey()).status()).as("the other key still works")
                .isNotEqualTo(401);

        List<JsonNode> issuedEvents = outboxEvents("agency.key-issued", "\"keyId\":\"" + keyId + "\"");
        assertThat(issuedEvents).hasSize(1);
        assertThat(issuedEvents.get(0).path("subject").asString()).isEqualTo("supervisor-auditor");
        assertThat(issuedEvents.get(0).path("data").path("by").asString()).isEqualTo("ops-operator");
        assertThat(issuedEvents.toString()).doesNotContain(key);
        assertThat(outboxEvents("agency.key-revoked", "\"keyId\":\"" + keyId + "\"")).hasSize(1);
    }

    @Test
    void theLastActiveOperatorKeyCannotBeRevoked() {
        TestHttp.Response issued = post("/api/v1/admin/staff/ops-operator/keys", operatorKey(), "{}");
        assertThat(issued.status()).as(issued.body()).isEqualTo(201);
        String second = issued.json().path("apiKey").asString();
        String secondId = issued.json().path("id").asString();
        assertThat(get("/api/v1/admin/staff/ops-operator", second).status()).isEqualTo(200);

        // The new key revokes itself: allowed while another operator key is active, and it is refused at once.
        assertThat(delete("/api/v1/admin/staff/ops-operator/keys/" + secondId, second).status()).isEqualTo(204);
        assertThat(get("/api/v1/admin/staff/ops-operator", second).status()).isEqualTo(401);

        List<String> active = get("/api/v1/admin/staff/ops-operator", operatorKey()).json().path("keys")
                .valueStream().filter(k -> k.path("status").asString().equals("ACTIVE"))
                .map(k -> k.path("id").asString()).toList();
        assertThat(active).hasSize(1);
        TestHttp.Response refused = delete("/api/v1/admin/staff/ops-operator/keys/" + active.get(0), operatorKey());
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(get("/api/v1/admin/staff/ops-operator", operatorKey()).status()).isEqualTo(200);
    }

    @Test
    void onlyOperatorsManageStaffKeysAndOnlyOfStaff() {
        assertThat(post("/api/v1/admin/staff/supervisor-auditor/keys", auditorKey(), "{}").status()).isEqualTo(403);
        assertThat(get("/api/v1/admin/staff/no-such-person", operatorKey()).status()).isEqualTo(404);
        assertThat(get("/api/v1/admin/staff/sc-chengdu-intermediate-court", operatorKey()).status())
                .as("agency keys have their own endpoints").isEqualTo(404);
        assertThat(delete("/api/v1/admin/staff/supervisor-auditor/keys/000000000000", operatorKey()).status())
                .isEqualTo(404);
    }

    private TestHttp.Response delete(String path, String key) {
        return TestHttp.send(HttpRequest.newBuilder(URI.create(url(path))).DELETE(), "Authorization",
                "Bearer " + key);
    }
}
