package cn.chuanyu.gateway.edge;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import cn.chuanyu.gateway.GatewayTestSupport;
import cn.chuanyu.kit.test.TestHttp;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** Correlation and trace context across the gateway, and the access record of every request. */
class EdgeIT extends GatewayTestSupport {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

    @Test
    void aCallersTraceAndCorrelationIdGoToTheServiceAndComeBack() {
        TestHttp.Response response = TestHttp.get(url("/api/v1/case-transfers/t1"),
                "Authorization", "Bearer " + agencyKey("sc-chengdu-intermediate-court"),
                "traceparent", "00-" + TRACE_ID + "-00f067aa0ba902b7-01",
                "tracestate", "vendor=opaque",
                "X-Correlation-Id", "caller-correlation-42");

        assertThat(response.status()).isEqualTo(201);
        LoggedRequest received = service("case-transfer-service").getAllServeEvents().get(0).getRequest();
        assertThat(received.getHeader("X-Correlation-Id")).isEqualTo("caller-correlation-42");
        String forwarded = received.getHeader("traceparent");
        assertThat(forwarded).matches("00-" + TRACE_ID + "-[0-9a-f]{16}-01");
        assertThat(forwarded).as("the gateway is a hop of its own").doesNotContain("00f067aa0ba902b7");
        assertThat(received.getHeader("tracestate")).isEqualTo("vendor=opaque");
        assertThat(response.header("X-Correlation-Id")).isEqualTo("caller-correlation-42");
        assertThat(response.header("traceparent")).isEqualTo(forwarded);
    }

    @Test
    void withoutThemTheGatewayStartsATraceAndACorrelationId() {
        TestHttp.Response response = TestHttp.get(url("/api/v1/case-transfers/t2"),
                "Authorization", "Bearer " + agencyKey("sc-chengdu-intermediate-court"),
                "traceparent", "00-00000000000000000000000000000000-00f067aa0ba902b7-01");

        LoggedRequest received = service("case-transfer-service").getAllServeEvents().get(0).getRequest();
        assertThat(received.getHeader("traceparent")).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01")
                .doesNotContain("00000000000000000000000000000000");
        assertThat(received.getHeader("X-Correlation-Id")).isNotBlank();
        assertThat(response.header("X-Correlation-Id")).isEqualTo(received.getHeader("X-Correlation-Id"));
        assertThat(response.header("traceparent")).isEqualTo(received.getHeader("traceparent"));
        // Refused requests carry them too.
        TestHttp.Response refused = TestHttp.get(url("/api/v1/case-transfers"));
        assertThat(refused.header("X-Correlation-Id")).isNotBlank();
        assertThat(refused.header("traceparent")).isNotBlank();
    }

    @Test
    void everyRequestLeavesAnAccessRecordForTheAuditTrail() {
        String served = "access-" + UUID.randomUUID();
        String refused = "access-" + UUID.randomUUID();
        TestHttp.get(url("/api/v1/audit/entries?exchangeId=secret-query"), "Authorization", "Bearer "
                + agencyKey("cq-jiangbei-justice-bureau"), "X-Correlation-Id", served,
                "traceparent", "00-" + TRACE_ID + "-00f067aa0ba902b7-01");
        TestHttp.get(url("/api/v1/case-transfers"), "X-Correlation-Id", refused);

        await(Duration.ofSeconds(10), () -> {
            assertThat(outboxEvents("gateway.access", served)).hasSize(1);
        });
        JsonNode record = outboxEvents("gateway.access", served).get(0);
        assertThat(record.path("source").asString()).isEqualTo("gateway");
        assertThat(record.path("subject").asString()).as("a client's correlation id names no exchange")
                .isNotEqualTo(served);
        assertThat(record.path("correlationId").asString()).isEqualTo(served);
        assertThat(record.path("fromAgency").asString()).isEqualTo("cq-jiangbei-justice-bureau");
        JsonNode data = record.path("data");
        assertThat(data.path("caller").asString()).isEqualTo("cq-jiangbei-justice-bureau");
        assertThat(data.path("role").asString()).isEqualTo("AGENCY");
        assertThat(data.path("method").asString()).isEqualTo("GET");
        assertThat(data.path("route").asString()).isEqualTo("audit-read");
        assertThat(data.path("path").asString()).isEqualTo("/api/v1/audit/entries");
        assertThat(data.path("status").asInt()).isEqualTo(201);
        assertThat(data.path("traceId").asString()).isEqualTo(TRACE_ID);
        assertThat(data.path("durationMillis").isNumber()).isTrue();
        assertThat(record.toString()).doesNotContain("secret-query");
        // An anonymous refusal only adds to a count (UntrustedRequestsIT).
        assertThat(outboxEvents("gateway.access", refused)).isEmpty();
    }

    @Test
    void adminActionsAreRecordedWithTheOperator() {
        String correlation = "admin-" + UUID.randomUUID();
        TestHttp.get(url("/api/v1/admin/agencies?limit=1"), "Authorization", "Bearer " + operatorKey(),
                "X-Correlation-Id", correlation);
        await(Duration.ofSeconds(10), () -> assertThat(outboxEvents("gateway.access", correlation)).hasSize(1));
        JsonNode data = outboxEvents("gateway.access", correlation).get(0).path("data");
        assertThat(data.path("caller").asString()).isEqualTo("ops-operator");
        assertThat(data.path("route").asString()).isEqualTo("admin");
        assertThat(data.path("status").asInt()).isEqualTo(200);
        List<JsonNode> none = outboxEvents("gateway.access", "/actuator/health");
        TestHttp.get(url("/actuator/health"));
        assertThat(outboxEvents("gateway.access", "/actuator/health")).hasSameSizeAs(none);
    }
}
