package cn.chuanyu.gateway.identity;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import cn.chuanyu.contracts.Role;
import cn.chuanyu.kit.identity.Caller;
import cn.chuanyu.kit.identity.PrincipalTokens;
import cn.chuanyu.kit.test.TestHttp;
import cn.chuanyu.kit.test.TestInfrastructure;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway in front of a stub service: API keys, the demo registry, the principal it hands on, and what it
 * strips from clients.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class GatewayIdentityIT {

    static final WireMockServer SERVICE = new WireMockServer(options().dynamicPort().http2PlainDisabled(true));
    static final Path CREDENTIALS;

    static {
        SERVICE.start();
        SERVICE.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"stub\":true}")));
        try {
            CREDENTIALS = Files.createTempDirectory("cyx-gateway").resolve("demo-credentials.json");
        }
        catch (java.io.IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.register(registry, "gateway");
        registry.add("chuanyu.demo.credentials-file", CREDENTIALS::toString);
        for (String service : List.of("case-transfer-service", "evidence-exchange-service", "audit-service")) {
            registry.add("spring.cloud.discovery.client.simple.instances." + service + "[0].uri", SERVICE::baseUrl);
        }
    }

    @AfterAll
    static void stopStub() {
        SERVICE.stop();
    }

    @LocalServerPort
    int port;

    @Autowired
    DemoSeeder seeder;

    @Autowired
    JdbcClient jdbc;

    JsonNode credentials;

    @BeforeEach
    void readCredentials() throws Exception {
        credentials = JsonMapper.builder().build().readTree(Files.readString(CREDENTIALS));
        SERVICE.resetRequests();
    }

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
        // Each agency is announced to the services through the outbox.
        assertThat(jdbc.sql("select count(*) from outbox_event where routing_key = 'agency.registered'")
                .query(Integer.class).single()).isEqualTo(credentials.path("agencies").size());
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
        LoggedRequest received = SERVICE.getAllServeEvents().get(0).getRequest();
        assertThat(received.getHeaders().getHeader("X-Chuanyu-Anything").isPresent()).isFalse();
        assertThat(received.getHeaders().getHeader("Authorization").isPresent()).isFalse();
        assertThat(received.getHeader("X-Correlation-Id")).isEqualTo("client-chosen-id-123");
        Caller caller = PrincipalTokens.verify(received.getHeader("X-Chuanyu-Principal"),
                TestInfrastructure.GATEWAY_KEYS.getPublic(), Instant.now());
        assertThat(caller.id()).isEqualTo("sc-chengdu-intermediate-court");
        assertThat(caller.role()).isEqualTo(Role.AGENCY);
        assertThat(caller.region().name()).isEqualTo("SC");
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
        assertThat(SERVICE.getAllServeEvents()).isEmpty();
    }

    @Test
    void eachRoleReachesOnlyItsOwnApis() {
        String agency = agencyKey("cq-yubei-public-security");
        String auditor = credentials.path("auditor").path("apiKey").asString();
        String operator = credentials.path("operator").path("apiKey").asString();

        assertThat(call("/api/v1/audit/verify", agency).status()).isEqualTo(403);
        assertThat(call("/api/v1/audit/entries", agency).status()).isEqualTo(201);
        assertThat(call("/api/v1/case-transfers", auditor).status()).isEqualTo(403);
        assertThat(call("/api/v1/evidence-packages", operator).status()).isEqualTo(403);
        assertThat(call("/api/v1/audit/entries", auditor).status()).isEqualTo(201);
        assertThat(call("/api/v1/audit/entries", operator).status()).isEqualTo(201);
        TestHttp.Response unknown = call("/api/v1/secrets", operator);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.contentType()).startsWith("application/problem+json");
    }

    private TestHttp.Response call(String path, String key) {
        return TestHttp.get(url(path), "Authorization", "Bearer " + key);
    }

    private String agencyKey(String agencyId) {
        return credentials.path("agencies").path(agencyId).path("apiKey").asString();
    }

    private String url(String path) {
        return "http://localhost:" + port + path;
    }
}
