package cn.chuanyu.gateway.identity;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import cn.chuanyu.gateway.GatewayTestSupport;
import cn.chuanyu.kit.test.TestHttp;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** The agency registry's admin API: operators only, every action audited through the outbox. */
class AgencyAdminIT extends GatewayTestSupport {

    @Test
    void anOperatorRegistersAnAgencyWhichIsAnnouncedAndListed() {
        String id = newAgencyId();
        TestHttp.Response created = create(id);

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.header("Location")).isEqualTo("/api/v1/admin/agencies/" + id);
        assertThat(created.json().path("status").asString()).isEqualTo("ACTIVE");
        assertThat(created.json().path("region").asString()).isEqualTo("CQ");
        assertThat(created.json().path("keys").size()).isZero();
        List<JsonNode> announced = outboxEvents("agency.registered", "\"subject\":\"" + id + "\"");
        assertThat(announced).hasSize(1);
        assertThat(announced.get(0).path("data").path("kind").asString()).isEqualTo("PROCURATORATE");
        assertThat(announced.get(0).path("correlationId").asString()).isEqualTo(created.header("X-Correlation-Id"));

        TestHttp.Response fetched = get("/api/v1/admin/agencies/" + id, operatorKey());
        assertThat(fetched.status()).isEqualTo(200);
        assertThat(fetched.json().path("name").asString()).isEqualTo("测试检察院 " + id);

        TestHttp.Response again = create(id);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.contentType()).startsWith("application/problem+json");
    }

    @Test
    void theRegistryListPagesWithACursor() {
        create(newAgencyId());
        create(newAgencyId());
        TestHttp.Response first = get("/api/v1/admin/agencies?limit=2", operatorKey());
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.json().path("items").size()).isEqualTo(2);
        String cursor = first.json().path("nextCursor").asString();
        assertThat(cursor).isNotBlank();
        TestHttp.Response second = get("/api/v1/admin/agencies?limit=2&cursor=" + cursor, operatorKey());
        assertThat(second.json().path("items").get(0).path("id").asString())
                .isGreaterThan(first.json().path("items").get(1).path("id").asString());

        TestHttp.Response badLimit = get("/api/v1/admin/agencies?limit=0", operatorKey());
        assertThat(badLimit.status()).isEqualTo(400);
        assertThat(badLimit.json().path("errors").get(0).path("field").asString()).isEqualTo("limit");
        assertThat(get("/api/v1/admin/agencies/no-such-agency", operatorKey()).status()).isEqualTo(404);
    }

    @Test
    void invalidRequestsGetAProblemNamingTheField() {
        TestHttp.Response missing = post("/api/v1/admin/agencies", operatorKey(),
                "{\"id\":\"" + newAgencyId() + "\",\"region\":\"SC\",\"kind\":\"COURT\"}");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.contentType()).startsWith("application/problem+json");
        assertThat(missing.json().path("errors").get(0).path("field").asString()).isEqualTo("name");

        TestHttp.Response badEnum = post("/api/v1/admin/agencies", operatorKey(),
                "{\"id\":\"" + newAgencyId() + "\",\"name\":\"x\",\"region\":\"BJ\",\"kind\":\"COURT\"}");
        assertThat(badEnum.status()).isEqualTo(400);
        assertThat(badEnum.json().path("errors").get(0).path("field").asString()).isEqualTo("region");
        assertThat(badEnum.json().path("detail").asString()).contains("SC", "CQ");

        TestHttp.Response unknown = post("/api/v1/admin/agencies", operatorKey(),
                "{\"id\":\"" + newAgencyId() + "\",\"name\":\"x\",\"region\":\"SC\",\"kind\":\"COURT\",\"bogus\":1}");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().path("errors").get(0).path("field").asString()).isEqualTo("bogus");

        TestHttp.Response badId = post("/api/v1/admin/agencies", operatorKey(),
                "{\"id\":\"Not A Slug\",\"name\":\"x\",\"region\":\"SC\",\"kind\":\"COURT\"}");
        assertThat(badId.status()).isEqualTo(400);
        assertThat(badId.json().path("errors").get(0).path("field").asString()).isEqualTo("id");

        TestHttp.Response notJson = post("/api/v1/admin/agencies", operatorKey(), "{\"id\":");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.contentType()).startsWith("application/problem+json");

        String id = newAgencyId();
        create(id);
        TestHttp.Response past = post("/api/v1/admin/agencies/" + id + "/keys", operatorKey(),
                "{\"expiresAt\":\"2020-01-01T00:00:00Z\"}");
        assertThat(past.status()).isEqualTo(422);
        assertThat(past.json().path("errors").get(0).path("field").asString()).isEqualTo("expiresAt");

        TestHttp.Response badSubject = TestHttp.send(HttpRequest.newBuilder(URI.create(
                url("/api/v1/admin/agencies/" + id + "/client-certificate")))
                .PUT(HttpRequest.BodyPublishers.ofString("{\"subject\":\"not a DN\"}"))
                .header("Content-Type", "application/json"), "Authorization", "Bearer " + operatorKey());
        assertThat(badSubject.status()).isEqualTo(422);
        assertThat(badSubject.json().path("errors").get(0).path("field").asString()).isEqualTo("subject");
    }

    @Test
    void oneAnswerNamesEveryProblemOfABodyAndEveryUnknownParameter() {
        TestHttp.Response several = post("/api/v1/admin/agencies", operatorKey(),
                "{\"id\":\"Not A Slug\",\"region\":\"BJ\",\"kind\":\"COURT\",\"bogus\":1}");
        assertThat(several.status()).as(several.body()).isEqualTo(400);
        assertThat(several.contentType()).startsWith("application/problem+json");
        assertThat(several.json().path("errors").findValuesAsString("field"))
                .containsExactlyInAnyOrder("id", "region", "bogus", "name");
        JsonNode region = several.json().path("errors").valueStream()
                .filter(e -> e.path("field").asString().equals("region")).findFirst().orElseThrow();
        assertThat(region.path("allowed").valueStream().map(JsonNode::asString)).containsExactly("SC", "CQ");

        TestHttp.Response unknown = get("/api/v1/admin/agencies?limit=2&page=2&sort=id", operatorKey());
        assertThat(unknown.status()).as(unknown.body()).isEqualTo(400);
        assertThat(unknown.contentType()).startsWith("application/problem+json");
        assertThat(unknown.json().path("errors").findValuesAsString("field")).containsExactly("page", "sort");
        assertThat(get("/api/v1/admin/agencies/no-such-agency?verbose=1", operatorKey()).json().path("errors")
                .findValuesAsString("field")).containsExactly("verbose");
        // No key: 401 before any word about parameters.
        assertThat(TestHttp.get(url("/api/v1/admin/agencies?page=2")).status()).isEqualTo(401);
        assertThat(get("/api/v1/admin/agencies?cursor=30", operatorKey()).status()).isEqualTo(400);
    }

    @Test
    void keysRotateWithoutDowntimeAndARevokedKeyStopsAtOnce() {
        String id = newAgencyId();
        create(id);
        TestHttp.Response issued = issueKey(id, null);
        assertThat(issued.status()).isEqualTo(201);
        assertThat(issued.header("Cache-Control")).contains("no-store");
        String oldKey = issued.json().path("apiKey").asString();
        String oldKeyId = issued.json().path("id").asString();
        assertThat(get("/api/v1/case-transfers", oldKey).status()).isEqualTo(201);

        // Rotation: the new key works while the old one still does.
        String newKey = issueKey(id, null).json().path("apiKey").asString();
        assertThat(get("/api/v1/case-transfers", newKey).status()).isEqualTo(201);
        assertThat(get("/api/v1/case-transfers", oldKey).status()).isEqualTo(201);

        // Revoked: 401 at once, although the old key's lookup was cached a moment ago.
        assertThat(revoke(id, oldKeyId).status()).isEqualTo(204);
        TestHttp.Response refused = get("/api/v1/case-transfers", oldKey);
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(get("/api/v1/case-transfers", newKey).status()).isEqualTo(201);
        assertThat(revoke(id, oldKeyId).status()).as("revoking again changes nothing").isEqualTo(204);
        assertThat(revoke(id, "000000000000").status()).isEqualTo(404);

        JsonNode agency = get("/api/v1/admin/agencies/" + id, operatorKey()).json();
        assertThat(agency.path("keys").size()).isEqualTo(2);
        assertThat(agency.path("keys").get(0).path("status").asString()).isEqualTo("REVOKED");
        assertThat(agency.path("keys").get(0).path("revokedBy").asString()).isEqualTo("ops-operator");
        assertThat(agency.path("keys").get(1).path("status").asString()).isEqualTo("ACTIVE");
        assertThat(agency.toString()).doesNotContain(newKey).doesNotContain("hash");

        // Audited: who issued and revoked which key, never the key itself.
        List<JsonNode> issuedEvents = outboxEvents("agency.key-issued", "\"subject\":\"" + id + "\"");
        assertThat(issuedEvents).hasSize(2);
        assertThat(issuedEvents.get(0).path("data").path("by").asString()).isEqualTo("ops-operator");
        assertThat(issuedEvents.toString()).doesNotContain(oldKey).doesNotContain(newKey);
        List<JsonNode> revokedEvents = outboxEvents("agency.key-revoked", "\"subject\":\"" + id + "\"");
        assertThat(revokedEvents).hasSize(1);
        assertThat(revokedEvents.get(0).path("data").path("keyId").asString()).isEqualTo(oldKeyId);
    }

    @Test
    void anExpiringKeyStopsWorkingAtItsExpiry() {
        String id = newAgencyId();
        create(id);
        Instant expiry = Instant.now().plusSeconds(2);
        String key = issueKey(id, expiry).json().path("apiKey").asString();
        assertThat(get("/api/v1/case-transfers", key).status()).isEqualTo(201);
        await(Duration.ofSeconds(6), () -> assertThat(get("/api/v1/case-transfers", key).status()).isEqualTo(401));
        assertThat(Instant.now()).isAfterOrEqualTo(expiry);
    }

    @Test
    void aSuspendedAgencyIsRefusedWith403UntilReactivated() {
        String id = newAgencyId();
        create(id);
        String key = issueKey(id, null).json().path("apiKey").asString();
        assertThat(get("/api/v1/case-transfers", key).status()).isEqualTo(201);

        TestHttp.Response suspended = post("/api/v1/admin/agencies/" + id + "/suspend", operatorKey(),
                "{\"reason\":\"key leaked in a ticket\"}");
        assertThat(suspended.status()).isEqualTo(200);
        assertThat(suspended.json().path("status").asString()).isEqualTo("SUSPENDED");
        TestHttp.Response refused = get("/api/v1/case-transfers", key);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.json().path("detail").asString()).contains(id, "suspended");
        assertThat(post("/api/v1/admin/agencies/" + id + "/suspend", operatorKey(), "{\"reason\":\"again\"}")
                .status()).isEqualTo(409);
        assertThat(post("/api/v1/admin/agencies/" + id + "/suspend", operatorKey(), "{}").status())
                .as("a suspension needs a reason").isEqualTo(400);

        assertThat(post("/api/v1/admin/agencies/" + id + "/reactivate", operatorKey(), "").status())
                .isEqualTo(200);
        assertThat(get("/api/v1/case-transfers", key).status()).isEqualTo(201);

        JsonNode suspension = outboxEvents("agency.suspended", "\"subject\":\"" + id + "\"").get(0);
        assertThat(suspension.path("data").path("reason").asString()).isEqualTo("key leaked in a ticket");
        assertThat(suspension.path("data").path("by").asString()).isEqualTo("ops-operator");
        assertThat(suspension.path("fromAgency").asString()).isEqualTo(id);
        assertThat(outboxEvents("agency.reactivated", "\"subject\":\"" + id + "\"")).hasSize(1);
    }

    @Test
    void onlyOperatorsMayAdministerTheRegistry() {
        String agency = agencyKey("sc-chengdu-intermediate-court");
        for (String key : new String[] {agency, auditorKey()}) {
            TestHttp.Response listed = get("/api/v1/admin/agencies", key);
            assertThat(listed.status()).isEqualTo(403);
            assertThat(listed.contentType()).startsWith("application/problem+json");
            assertThat(post("/api/v1/admin/agencies/sc-chengdu-intermediate-court/suspend", key,
                    "{\"reason\":\"x\"}").status()).isEqualTo(403);
        }
        assertThat(TestHttp.get(url("/api/v1/admin/agencies")).status()).isEqualTo(401);
        // A forged principal header does not make anyone an operator.
        assertThat(TestHttp.get(url("/api/v1/admin/agencies"), "Authorization", "Bearer " + agency,
                "X-Chuanyu-Principal", "forged", "X-Chuanyu-Role", "OPERATOR").status()).isEqualTo(403);
        assertThat(get("/api/v1/case-transfers", agency).status()).isEqualTo(201);
    }

    private TestHttp.Response create(String id) {
        return post("/api/v1/admin/agencies", operatorKey(), """
                {"id":"%s","name":"测试检察院 %s","region":"CQ","kind":"PROCURATORATE"}""".formatted(id, id));
    }

    private TestHttp.Response issueKey(String id, Instant expiresAt) {
        return post("/api/v1/admin/agencies/" + id + "/keys", operatorKey(),
                expiresAt == null ? "{}" : "{\"expiresAt\":\"" + expiresAt + "\"}");
    }

    private TestHttp.Response revoke(String id, String keyId) {
        return TestHttp.send(HttpRequest.newBuilder(URI.create(url("/api/v1/admin/agencies/" + id + "/keys/" + keyId)))
                .DELETE(), "Authorization", "Bearer " + operatorKey());
    }

    static String newAgencyId() {
        return "test-agency-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
