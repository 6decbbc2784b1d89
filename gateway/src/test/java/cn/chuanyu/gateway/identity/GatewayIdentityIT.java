package cn.chuanyu.gateway.identity;

import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import cn.chuanyu.contracts.Role;
import cn.chuanyu.gateway.GatewayTestSupport;
import cn.chuanyu.kit.identity.Caller;
import cn.chuanyu.kit.identity.PrincipalTokens;
import cn.chuanyu.kit.test.StartTogether;
import cn.chuanyu.kit.test.TestHttp;
import cn.chuanyu.kit.test.TestInfrastructure;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The gateway in front of stub services: API keys, the demo registry, the principal it hands on, what it strips
 * from clients, and which role reaches which API.
 */
class GatewayIdentityIT extends GatewayTestSupport {

    @Autowired
    DemoSeeder seeder;

    @Test
    void theDemoRegistryHasAgenciesOfBothRegionsAndStaffWithKeysInAPrivateFile() throws Exception {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(CREDENTIALS))).isEqualTo("rw-------");
        List<String> regions = new ArrayList<>();
        List<String> kinds = new ArrayList<>();
        credentials.path("agencies").properties().forEach(agency -> {
            regions.add(agency.getValue().path("region").asString());
            kinds.add(agency.getValue().path("kind").asString());
            assertThat(agency.getValue().path("apiKey").asString()).startsWith("cyx_");
            assertThat(agency.getValue().path("name").asString()).isNotBlank();
        });
        assertThat(regions.stream().filter("SC"::equals).count()).isGreaterThanOrEqualTo(2);
        assertThat(regions.stream().filter("CQ"::equals).count()).isGreaterThanOrEqualTo(2);
        assertThat(kinds).contains("COURT", "PROCURATORATE", "PUBLIC_SECURITY", "JUSTICE_BUREAU");
        assertThat(credentials.path("operator").path("apiKey").asString()).startsWith("cyx_");
        assertThat(credentials.path("auditor").path("apiKey").asString()).startsWith("cyx_");

        // Only hashes are stored.
        String key = agencyKey("sc-chengdu-intermediate-court");
        assertThat(jdbc.sql("select count(*) from api_key where key_hash = :k").param("k", key).query(Integer.class)
                .single()).isZero();
        // Each agency is announced to the services through the outbox: when seeded, and again by the start-up
        // announcement that fills the directories of services newer than the registry.
        credentials.path("agencies").propertyNames().forEach(id ->
                assertThat(outboxEvents("agency.registered", "\"subject\":\"" + id + "\"")).as(id).hasSize(2));
    }

    @Test
    void aSecondStartKeepsTheSameAgenciesAndKeys() throws Exception {
        String before = Files.readString(CREDENTIALS);
        int principals = jdbc.sql("select count(*) from principal").query(Integer.class).single();

        seeder.run(null);

        assertThat(Files.readString(CREDENTIALS)).isEqualTo(before);
        assertThat(jdbc.sql("select count(*) from principal").query(Integer.class).single()).isEqualTo(principals);
        assertThat(call("/api/v1/case-transfers", agencyKey("sc-chengdu-intermediate-court")).status())
                .isEqualTo(201);
    }

    @Test
    void theServiceReceivesAPrincipalSignedByTheGatewayAndNothingTheClientForged() {
        TestHttp.Response response = TestHttp.postJson(url("/api/v1/case-transfers"), "{}",
                "Authorization", "Bearer " + agencyKey("sc-chengdu-intermediate-court"),
                "X-Chuanyu-Principal", "forged.token",
                "X-Chuanyu-Anything", "forged",
                "X-Correlation-Id", "client-chosen-id-123");

        assertThat(response.status()).isEqualTo(201);
        assertThat(response.header("X-Correlation-Id")).isEqualTo("client-chosen-id-123");
        assertThat(response.headers().allValues("X-Correlation-Id")).hasSize(1);
        LoggedRequest received = service("case-transfer-service").getAllServeEvents().get(0).getRequest();
        assertThat(received.getHeaders().getHeader("X-Chuanyu-Anything").isPresent()).isFalse();
        assertThat(received.getHeaders().getHeader("Authorization").isPresent()).isFalse();
        assertThat(received.getHeader("X-Correlation-Id")).isEqualTo("client-chosen-id-123");
        Caller caller = TestInfrastructure.verifyAs("case-transfer-service", received.getHeader("X-Chuanyu-Principal"),
                "POST", "/api/v1/case-transfers").caller();
        assertThat(caller.id()).isEqualTo("sc-chengdu-intermediate-court");
        assertThat(caller.role()).isEqualTo(Role.AGENCY);
        assertThat(caller.region().name()).isEqualTo("SC");
    }

    /** Issue 13: a token names its service and its request, and is never reused for another. */
    @Test
    void eachForwardedRequestGetsItsOwnTokenForTheRoutesServiceAndTheForwardedRequest() {
        String key = agencyKey("sc-chengdu-intermediate-court");
        String path = "/api/v1/evidence-packages/8d7a2c1e-0000-4000-8000-000000000001";
        for (int i = 0; i < 2; i++) {
            assertThat(TestHttp.get(url(path), "Authorization", "Bearer " + key).status()).isEqualTo(201);
        }
        TestHttp.postJson(url("/api/v1/case-transfers"), "{}", "Authorization", "Bearer " + key);

        List<String> evidenceTokens = service("evidence-exchange-service").getAllServeEvents().stream()
                .map(event -> event.getRequest().getHeader(PrincipalTokens.HEADER)).toList();
        assertThat(evidenceTokens).hasSize(2).doesNotHaveDuplicates();
        for (String token : evidenceTokens) {
            assertThat(TestInfrastructure.verifyAs("evidence-exchange-service", token, "GET", path).caller().id())
                    .isEqualTo("sc-chengdu-intermediate-court");
            assertThatThrownBy(() -> TestInfrastructure.verifyAs("case-transfer-service", token, "GET", path))
                    .hasMessageContaining("not case-transfer-service");
        }
        String caseTransferToken = service("case-transfer-service").getAllServeEvents().get(0).getRequest()
                .getHeader(PrincipalTokens.HEADER);
        assertThatThrownBy(() -> TestInfrastructure.verifyAs("case-transfer-service", caseTransferToken, "GET",
                "/api/v1/case-transfers")).hasMessageContaining("another request");
    }

    /** Issue 15: operators retry evidence fetches at evidence-exchange-service, not at audit-service (/ops/**). */
    @Test
    void theEvidenceRelayOpsGoToTheEvidenceServiceAndAuditorsReachOnlyAPackagesEvidences() {
        String retry = "/api/v1/ops/evidence-relay/8d7a2c1e-0000-4000-8000-000000000015/retry";
        assertThat(TestHttp.postJson(url(retry), "{}", "Authorization", "Bearer " + operatorKey()).status())
                .isEqualTo(201);
        assertThat(service("evidence-exchange-service").getAllServeEvents()).extracting(e -> e.getRequest().getUrl())
                .containsExactly(retry);
        assertThat(service("audit-service").getAllServeEvents()).isEmpty();
        assertThat(TestHttp.postJson(url(retry), "{}", "Authorization", "Bearer " + auditorKey()).status())
                .isEqualTo(403);

        String evidences = "/api/v1/evidence-packages/8d7a2c1e-0000-4000-8000-000000000015/evidences";
        assertThat(call(evidences, auditorKey()).status()).isEqualTo(201);
        for (String path : new String[] {"/api/v1/evidence-packages/8d7a2c1e-0000-4000-8000-000000000015",
            "/api/v1/evidence-packages/8d7a2c1e-0000-4000-8000-000000000015/items/a.bin",
            "/api/v1/evidence-packages/8d7a2c1e-0000-4000-8000-000000000015/evidences/x",
            "/api/v1/evidence-packages/a/b/evidences"}) {
            assertThat(call(path, auditorKey()).status()).as(path).isEqualTo(403);
        }
    }

    /** A retried GET must not resend a token the service may already have accepted. */
    @Test
    void eachRetryOfARequestGetsANewToken() {
        String path = "/api/v1/evidence-packages/8d7a2c1e-0000-4000-8000-000000000502";
        service("evidence-exchange-service").stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(path)
                .atPriority(1).willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(502)));

        TestHttp.get(url(path), "Authorization", "Bearer " + agencyKey("sc-chengdu-intermediate-court"));

        List<String> tokens = service("evidence-exchange-service").getAllServeEvents().stream()
                .map(event -> event.getRequest().getHeader(PrincipalTokens.HEADER)).toList();
        assertThat(tokens).hasSizeGreaterThan(1).doesNotHaveDuplicates();
        tokens.forEach(token -> TestInfrastructure.verifyAs("evidence-exchange-service", token, "GET", path));
    }

    @Test
    void missingUnknownAndMalformedKeysAreRefusedWithAProblem() {
        for (String authorization : new String[] {null, "Bearer cyx_000000000000_" + "A".repeat(43),
            "Bearer nonsense", "Basic dXNlcjpwYXNz", "Bearer " + "x".repeat(5000)}) {
            TestHttp.Response response = authorization == null
                    ? TestHttp.get(url("/api/v1/case-transfers/123"))
                    : TestHttp.get(url("/api/v1/case-transfers/123"), "Authorization", authorization);
            assertThat(response.status()).as(String.valueOf(authorization)).isEqualTo(401);
            assertThat(response.contentType()).startsWith("application/problem+json");
            assertThat(response.header("WWW-Authenticate")).startsWith("Bearer");
            assertThat(response.json().path("status").asInt()).isEqualTo(401);
        }
        SERVICES.values().forEach(stub -> assertThat(stub.getAllServeEvents()).isEmpty());
    }

    @Test
    void refusalsCloseTheConnectionSoTheNextRequestIsNeverStuckBehindThem() {
        // Reusing a connection after an immediate refusal left about 2 % of the next requests unanswered.
        String[] refused = {null, "Bearer cyx_000000000000_" + "A".repeat(43), "Basic dXNlcjpwYXNz",
            "Bearer " + "x".repeat(5000)};
        for (int round = 0; round < 60; round++) {
            for (String authorization : refused) {
                TestHttp.Response response = authorization == null
                        ? TestHttp.get(url("/api/v1/case-transfers/123"))
                        : TestHttp.get(url("/api/v1/case-transfers/123"), "Authorization", authorization);
                assertThat(response.status()).isEqualTo(401);
                assertThat(response.header("Connection")).isEqualToIgnoringCase("close");
            }
        }
    }

    @Test
    void aKeepAliveConnectionKeepsServingAfterResponsesTheGatewayCompletesItself() {
        // Reactor Netty 1.3.6 / Netty 4.2.15 stopped reading such a connection about once in a hundred requests.
        for (int round = 0; round < 150; round++) {
            assertThat(TestHttp.get(url("/actuator/health")).status()).isEqualTo(200);
            assertThat(TestHttp.get(url("/swagger-ui.html")).status()).isBetween(200, 399);
        }
    }

    @Test
    void eachRoleReachesOnlyItsOwnApis() {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("AGENCY", agencyKey("cq-yubei-public-security"));
        keys.put("OPERATOR", operatorKey());
        keys.put("AUDITOR", auditorKey());
        // Route class -> a path of it and the roles that may call it (201 from the stub, 200 from the admin API).
        Map<String, List<String>> routes = new LinkedHashMap<>();
        routes.put("/api/v1/case-transfers", List.of("AGENCY"));
        routes.put("/api/v1/assistance-requests/a1", List.of("AGENCY"));
        routes.put("/api/v1/inbox", List.of("AGENCY"));
        routes.put("/api/v1/webhooks", List.of("AGENCY"));
        routes.put("/api/v1/evidence-packages/p1", List.of("AGENCY"));
        routes.put("/api/v1/evidence-packages/p1/evidences", List.of("AGENCY", "AUDITOR"));
        routes.put("/api/v1/evidence-packages/p1/items/f1", List.of("AGENCY"));
        routes.put("/api/v1/audit/entries", List.of("AGENCY", "OPERATOR", "AUDITOR"));
        routes.put("/api/v1/audit/tree-head", List.of("AGENCY", "OPERATOR", "AUDITOR"));
        routes.put("/api/v1/audit/proofs/inclusion", List.of("AGENCY", "OPERATOR", "AUDITOR"));
        routes.put("/api/v1/audit/verify", List.of("OPERATOR", "AUDITOR"));
        routes.put("/api/v1/admin/agencies", List.of("OPERATOR"));
        routes.put("/api/v1/nodes", List.of("AGENCY", "OPERATOR", "AUDITOR"));
        routes.put("/api/v1/ops/links", List.of("OPERATOR"));
        routes.put("/api/v1/ops/evidence-relay", List.of("OPERATOR"));

        routes.forEach((path, allowed) -> keys.forEach((role, key) -> {
            TestHttp.Response response = call(path, key);
            if (allowed.contains(role)) {
                assertThat(response.status()).as(role + " " + path).isIn(200, 201);
            }
            else {
                assertThat(response.status()).as(role + " " + path).isEqualTo(403);
                assertThat(response.contentType()).startsWith("application/problem+json");
                assertThat(response.json().path("detail").asString()).contains(role);
            }
        }));
        TestHttp.Response unknown = call("/api/v1/secrets", operatorKey());
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.contentType()).startsWith("application/problem+json");
    }

    @Test
    void pathsOutsideTheApiAreNotForwardedAndAnswerWithProblems() {
        TestHttp.Response nothing = TestHttp.get(url("/nowhere/at/all"), "Authorization", "Bearer " + operatorKey());
        assertThat(nothing.status()).isEqualTo(404);
        assertThat(nothing.contentType()).startsWith("application/problem+json");
        assertThat(nothing.json().path("instance").asString()).isEqualTo("/nowhere/at/all");
        // Only the OpenAPI document itself is served from a service without a key.
        assertThat(TestHttp.get(url("/v3/api-docs/case-transfer-service/anything")).status()).isEqualTo(404);
        assertThat(TestHttp.get(url("/case-transfers")).status()).isEqualTo(404);
        assertThat(TestHttp.get(url("/fallback/case-transfer-service")).status()).isEqualTo(404);
        SERVICES.values().forEach(stub -> assertThat(stub.getAllServeEvents()).isEmpty());
    }

    @Test
    void manyConcurrentCallsToOneServiceAreAllForwarded() throws Exception {
        SERVICES.get("case-transfer-service").stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(
                com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo("/api/v1/case-transfers/slow"))
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(200)
                        .withFixedDelay(700)));
        String key = agencyKey("sc-chengdu-intermediate-court");
        StartTogether.Runs<Integer> calls = StartTogether.run(40, Duration.ofSeconds(90),
                i -> () -> call("/api/v1/case-transfers/slow", key).status());
        assertThat(calls.allOverlapped()).as("all 40 calls in flight at once").isTrue();
        // No bulkhead turns the 26th concurrent caller away.
        assertThat(calls.results()).containsOnly(200);
    }

    private TestHttp.Response call(String path, String key) {
        return get(path, key);
    }
}
