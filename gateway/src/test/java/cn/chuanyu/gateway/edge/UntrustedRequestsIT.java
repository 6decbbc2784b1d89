package cn.chuanyu.gateway.edge;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import cn.chuanyu.gateway.GatewayTestSupport;
import cn.chuanyu.kit.test.TestHttp;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13, "trust nothing inside": the gateway decides on the path the routes see, an anonymous caller cannot grow
 * the audit trail, a client's correlation id files nothing under an exchange, and actuator metrics need a key.
 */
class UntrustedRequestsIT extends GatewayTestSupport {

    /** Each spells a path under an operators-only route in a way the route predicates decode or ignore. */
    private static final List<String> DISGUISED_OPS_PATHS = List.of(
            "/%61pi/v1/ops/dead-letters",
            "/api;x/v1/ops/flows",
            "/api/v1;x/ops/flows",
            "//api/v1/ops/flows",
            "/api//v1/ops/flows",
            "/api/v1/../v1/ops/flows",
            "/api/v1/%6Fps/flows",
            "/api/v1/ops/%2e%2e/ops/flows");

    @Test
    void aDisguisedPathIsRefusedByTheGatewayAndNeverReachesAService() {
        for (String path : DISGUISED_OPS_PATHS) {
            TestHttp.Response anonymous = TestHttp.get(url(path));
            assertThat(anonymous.status()).as(path).isIn(400, 401);
            assertThat(anonymous.header("Content-Type")).as(path).startsWith("application/problem+json");
            assertThat(anonymous.json().path("instance").isMissingNode()).as(path).isFalse();

            // An agency's key must not get it past the operators-only policy either.
            TestHttp.Response agency = get(path, agencyKey("sc-chengdu-intermediate-court"));
            assertThat(agency.status()).as(path).isIn(400, 403);
        }
        assertThat(service("audit-service").getAllServeEvents()).as("requests proxied to audit-service").isEmpty();
        assertThat(service("case-transfer-service").getAllServeEvents()).isEmpty();
    }

    @Test
    void theCanonicalPathStillWorks() {
        assertThat(get("/api/v1/ops/flows", operatorKey()).status()).isEqualTo(201);
        // Percent-encoding of characters that need it stays allowed (a space in an id, say).
        assertThat(get("/api/v1/case-transfers/a%20b", agencyKey("sc-chengdu-intermediate-court")).status())
                .isEqualTo(201);
    }

    @Test
    void anonymousRefusalsAreCountedPerMinuteAndReasonNotRecordedOneByOne() {
        String marker = "flood-" + UUID.randomUUID();
        Instant started = Instant.now();
        for (int i = 0; i < 100; i++) {
            assertThat(TestHttp.get(url("/" + marker + "/" + i)).status()).isEqualTo(404);
        }
        await(Duration.ofSeconds(20), () -> assertThat(refusedSince(started).stream()
                .filter(r -> r.path("data").path("status").asInt() == 404)
                .mapToLong(r -> r.path("data").path("count").asLong()).sum()).isGreaterThanOrEqualTo(100));
        assertThat(refusedSince(started)).as("refusal-count records").hasSizeLessThanOrEqualTo(6);
        assertThat(outboxEvents("gateway.access", marker)).as("access records of the anonymous 404s").isEmpty();
        JsonNode count = refusedSince(started).get(0).path("data");
        assertThat(count.path("reason").asString()).isNotBlank();
        assertThat(Instant.parse(count.path("from").asString()))
                .isBefore(Instant.parse(count.path("until").asString()));
        assertThat(count.toString()).doesNotContain(marker);
    }

    @Test
    void storedPathsAreCapped() {
        String correlation = "long-" + UUID.randomUUID();
        String path = "/api/v1/case-transfers/" + "a".repeat(4000);
        assertThat(TestHttp.get(url(path), "Authorization", "Bearer " + agencyKey("sc-chengdu-intermediate-court"),
                "X-Correlation-Id", correlation).status()).isEqualTo(201);

        await(Duration.ofSeconds(10), () -> assertThat(outboxEvents("gateway.access", correlation)).hasSize(1));
        String stored = outboxEvents("gateway.access", correlation).get(0).path("data").path("path").asString();
        assertThat(stored).startsWith("/api/v1/case-transfers/aaaa").hasSizeLessThanOrEqualTo(600);
        assertThat(stored).contains("4023 characters");
    }

    @Test
    void aClientsCorrelationIdIsNotTheExchangeOfItsAccessRecord() {
        String someoneElsesExchange = UUID.randomUUID().toString();
        get("/api/v1/case-transfers/" + someoneElsesExchange, agencyKey("sc-chengdu-intermediate-court"));
        TestHttp.get(url("/api/v1/case-transfers"), "Authorization",
                "Bearer " + agencyKey("sc-chengdu-intermediate-court"), "X-Correlation-Id", someoneElsesExchange);

        await(Duration.ofSeconds(10), () -> assertThat(outboxEvents("gateway.access", "\"correlationId\":\""
                + someoneElsesExchange)).hasSize(1));
        JsonNode record = outboxEvents("gateway.access", "\"correlationId\":\"" + someoneElsesExchange).get(0);
        assertThat(record.path("subject").asString()).isNotEqualTo(someoneElsesExchange).startsWith("access-");
        assertThat(record.path("correlationId").asString()).isEqualTo(someoneElsesExchange);
        assertThat(record.path("data").path("correlationId").asString()).isEqualTo(someoneElsesExchange);
    }

    @Test
    void metricsNeedTheOperatorsKeyHealthDoesNot() {
        TestHttp.Response anonymous = TestHttp.get(url("/actuator/prometheus"));
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.body()).doesNotContain("chuanyu_").doesNotContain("route");
        assertThat(anonymous.header("Content-Type")).startsWith("application/problem+json");
        assertThat(get("/actuator/prometheus", agencyKey("sc-chengdu-intermediate-court")).status()).isEqualTo(403);
        assertThat(TestHttp.get(url("/%61ctuator/prometheus")).status()).isIn(400, 401);

        TestHttp.Response operator = get("/actuator/prometheus", operatorKey());
        assertThat(operator.status()).isEqualTo(200);
        assertThat(operator.body()).contains("chuanyu_gateway_access");

        assertThat(TestHttp.get(url("/actuator/health")).status()).isEqualTo(200);
        assertThat(TestHttp.get(url("/actuator/health/readiness")).status()).isEqualTo(200);
        assertThat(TestHttp.get(url("/actuator/health/liveness")).status()).isEqualTo(200);
    }

    @Test
    void aBadValueAndAnUnknownParameterAreNamedInOneProblem() {
        TestHttp.Response response = get("/api/v1/admin/agencies?limit=abc&foo=1", operatorKey());
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("errors").findValuesAsString("field")).containsExactlyInAnyOrder("limit",
                "foo");
    }

    private List<JsonNode> refusedSince(Instant since) {
        return jdbc.sql("select payload from outbox_event where routing_key = 'gateway.refused' "
                + "and created_at >= :since order by seq")
                .param("since", java.sql.Timestamp.from(since.minusSeconds(1)))
                .query(String.class).list().stream().map(JSON::readTree).toList();
    }
}
