package cn.chuanyu.gateway.protection;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Arrays;

import cn.chuanyu.gateway.GatewayTestSupport;
import cn.chuanyu.kit.test.TestHttp;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

/** Rate limits, body size limits, timeouts, retries and circuit breakers in front of stub services. */
class GatewayProtectionIT extends GatewayTestSupport {

    @Test
    void aCallerOverItsRateLimitGets429WithRetryAfterAndRecovers() {
        String key = keyOf(RATE_LIMITED_AGENCY); // one request every 4 s (test settings)
        assertThat(get("/api/v1/case-transfers", key).status()).isEqualTo(201);
        TestHttp.Response limited = get("/api/v1/case-transfers", key);

        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.contentType()).startsWith("application/problem+json");
        assertThat(Integer.parseInt(limited.header("Retry-After"))).isBetween(1, 4);
        assertThat(limited.json().path("detail").asString()).contains(RATE_LIMITED_AGENCY, "1 request every 4 s");
        assertThat(limited.header("X-RateLimit-Remaining")).isNotBlank();
        assertThat(service("case-transfer-service").getAllServeEvents()).hasSize(1);
        // Other callers keep their own buckets.
        assertThat(get("/api/v1/case-transfers", agencyKey("sc-chengdu-intermediate-court")).status()).isEqualTo(201);

        await(Duration.ofSeconds(10), () -> assertThat(get("/api/v1/case-transfers", key).status()).isEqualTo(201));
    }

    @Test
    void redisIsPartOfTheHealthOperatorsSee() {
        TestHttp.Response health = TestHttp.get(url("/actuator/health"));
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().path("components").path("redis").path("status").asString()).isEqualTo("UP");
    }

    @Test
    void jsonBodiesOverTheLimitAre413WithoutReachingTheService() {
        String key = agencyKey("sc-chengdu-procuratorate");
        String big = "{\"summary\":\"" + "x".repeat(1024 * 1024) + "\"}";

        TestHttp.Response declared = post("/api/v1/case-transfers", key, big);
        assertThat(declared.status()).isEqualTo(413);
        assertThat(declared.contentType()).startsWith("application/problem+json");

        // Without Content-Length the body is counted as it streams and cut off at the limit.
        TestHttp.Response chunked = TestHttp.send(HttpRequest.newBuilder(URI.create(url("/api/v1/case-transfers")))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big.getBytes())))
                .header("Content-Type", "application/json"), "Authorization", "Bearer " + key);
        assertThat(chunked.status()).isEqualTo(413);
        assertThat(chunked.contentType()).startsWith("application/problem+json");
        assertThat(service("case-transfer-service").getAllServeEvents()).isEmpty();

        assertThat(post("/api/v1/case-transfers", key, "{\"summary\":\"small\"}").status()).isEqualTo(201);
    }

    @Test
    void evidenceUploadsMayBeLargeAndStreamThrough() {
        String key = agencyKey("cq-first-intermediate-court");
        byte[] content = new byte[3 * 1024 * 1024 + 17];
        Arrays.fill(content, (byte) 7);

        TestHttp.Response declared = TestHttp.send(HttpRequest.newBuilder(URI.create(
                url("/api/v1/evidence-packages/p1/items/i1/content")))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(content))
                .header("Content-Type", "application/octet-stream"), "Authorization", "Bearer " + key);
        TestHttp.Response chunked = TestHttp.send(HttpRequest.newBuilder(URI.create(
                url("/api/v1/evidence-packages/p1/items/i2/content")))
                .method("PATCH", HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(content)))
                .header("Content-Type", "application/octet-stream"), "Authorization", "Bearer " + key);

        assertThat(declared.status()).isEqualTo(201);
        assertThat(chunked.status()).isEqualTo(201);
        WireMockServer evidence = service("evidence-exchange-service");
        assertThat(evidence.getAllServeEvents()).hasSize(2);
        evidence.getAllServeEvents().forEach(event ->
                assertThat(event.getRequest().getBody()).hasSize(content.length));
        // The same size is refused for any other body.
        assertThat(TestHttp.send(HttpRequest.newBuilder(URI.create(url("/api/v1/evidence-packages")))
                .POST(HttpRequest.BodyPublishers.ofByteArray(content)), "Authorization", "Bearer " + key).status())
                .isEqualTo(413);
    }

    @Test
    void idempotentCallsAreRetriedOnBadGatewayOthersNever() {
        WireMockServer cases = service("case-transfer-service");
        cases.stubFor(WireMock.any(urlPathMatching("/api/v1/case-transfers/flaky-(read|write).*")).atPriority(1)
                .willReturn(aResponse().withStatus(502)));
        cases.stubFor(WireMock.get(urlPathEqualTo("/api/v1/case-transfers/flaky-500")).atPriority(1)
                .willReturn(aResponse().withStatus(500).withHeader("Content-Type", "application/problem+json")
                        .withBody("{\"status\":500}")));
        try {
            String key = agencyKey("sc-mianyang-public-security");
            TestHttp.Response read = get("/api/v1/case-transfers/flaky-read", key);
            TestHttp.Response write = post("/api/v1/case-transfers/flaky-write/accept", key, "{}");

            assertThat(read.status()).isEqualTo(503);
            assertThat(read.json().path("service").asString()).isEqualTo("case-transfer-service");
            assertThat(write.status()).isEqualTo(503);
            cases.verify(3, WireMock.getRequestedFor(urlPathEqualTo("/api/v1/case-transfers/flaky-read")));
            cases.verify(1, anyRequestedFor(urlPathEqualTo("/api/v1/case-transfers/flaky-write/accept")));

            // A service's own 500 is its answer: passed on, not retried, not a reason to open the breaker.
            TestHttp.Response broken = get("/api/v1/case-transfers/flaky-500", key);
            assertThat(broken.status()).isEqualTo(500);
            cases.verify(1, WireMock.getRequestedFor(urlPathEqualTo("/api/v1/case-transfers/flaky-500")));
        }
        finally {
            cases.getStubMappings().stream().filter(stub -> stub.getPriority() != null && stub.getPriority() == 1)
                    .toList().forEach(cases::removeStub);
        }
    }

    @Test
    void aSlowServiceIsCutOffAtTheRouteTimeout() {
        WireMockServer evidence = service("evidence-exchange-service");
        evidence.stubFor(WireMock.get(urlPathEqualTo("/api/v1/evidence-packages/slow")).atPriority(1)
                .willReturn(aResponse().withStatus(200).withFixedDelay(8000)));
        try {
            long started = System.nanoTime();
            TestHttp.Response slow = get("/api/v1/evidence-packages/slow", agencyKey("sc-mianyang-public-security"));
            long millis = (System.nanoTime() - started) / 1_000_000;

            assertThat(slow.status()).isEqualTo(504);
            assertThat(slow.contentType()).startsWith("application/problem+json");
            assertThat(slow.json().path("service").asString()).isEqualTo("evidence-exchange-service");
            assertThat(millis).as("route timeout 3 s in the tests").isLessThan(7000);
        }
        finally {
            evidence.removeStub(evidence.getStubMappings().stream()
                    .filter(stub -> stub.getPriority() != null && stub.getPriority() == 1).findFirst().orElseThrow());
        }
    }

    @Test
    void aStoppedServiceGetsAFast503NamingItAndRecoversWhenItReturns() {
        WireMockServer audit = service("audit-service");
        String key = auditorKey();
        assertThat(get("/api/v1/audit/entries", key).status()).isEqualTo(201);
        audit.stop();
        try {
            for (int i = 0; i < 8; i++) {
                long started = System.nanoTime();
                TestHttp.Response down = get("/api/v1/audit/entries", key);
                long millis = (System.nanoTime() - started) / 1_000_000;
                assertThat(down.status()).isEqualTo(503);
                assertThat(down.contentType()).startsWith("application/problem+json");
                assertThat(down.json().path("service").asString()).isEqualTo("audit-service");
                assertThat(down.json().path("instance").asString()).isEqualTo("/api/v1/audit/entries");
                assertThat(down.header("Retry-After")).isNotBlank();
                assertThat(millis).isLessThan(2000);
            }
            // The breaker is open now: calls are refused at once without trying the service.
            TestHttp.Response open = get("/api/v1/audit/entries", key);
            assertThat(open.json().path("detail").asString()).contains("paused");
        }
        finally {
            audit.start();
        }
        await(Duration.ofSeconds(15), () -> assertThat(get("/api/v1/audit/entries", key).status()).isEqualTo(201));
        // Closed again after the trial calls succeed.
        for (int i = 0; i < 4; i++) {
            assertThat(get("/api/v1/audit/entries", key).status()).isEqualTo(201);
        }
    }

    private String keyOf(String agencyId) {
        if (get("/api/v1/admin/agencies/" + agencyId, operatorKey()).status() == 404) {
            post("/api/v1/admin/agencies", operatorKey(), """
                    {"id":"%s","name":"限流测试法院","region":"SC","kind":"COURT"}""".formatted(agencyId));
        }
        return post("/api/v1/admin/agencies/" + agencyId + "/keys", operatorKey(), "{}").json().path("apiKey")
                .asString();
    }
}
