package cn.chuanyu.evidence;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import cn.chuanyu.contracts.AgencyRegistered;
import cn.chuanyu.evidence.EvidenceHttp.Response;
import cn.chuanyu.kit.agency.AgencyDirectory;
import cn.chuanyu.kit.identity.Caller;
import cn.chuanyu.kit.test.TestInfrastructure;
import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;

import static cn.chuanyu.evidence.EvidenceHttp.CHENGDU_COURT;
import static cn.chuanyu.evidence.EvidenceHttp.CQ_COURT;
import static cn.chuanyu.evidence.EvidenceHttp.createJson;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

/** case-transfer-service hanging, then down: linked packages fail fast with a 503 and nothing is created. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "chuanyu.evidence.linkage.minimum-number-of-calls=6")
class LinkageOutageIT {

    static final WireMockServer CASE_TRANSFERS = new WireMockServer(options().dynamicPort().http2PlainDisabled(true));
    static final Path DIR;

    static {
        CASE_TRANSFERS.start();
        try {
            DIR = Files.createTempDirectory("evidence-outage-it-");
        }
        catch (IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.register(registry, "evidence_outage");
        registry.add("spring.cloud.discovery.client.simple.instances.case-transfer-service[0].uri",
                CASE_TRANSFERS::baseUrl);
        registry.add("chuanyu.evidence.store-dir", () -> DIR.resolve("store").toString());
        // A few connections are plenty here, and the machine's PostgreSQL is shared with other test runs.
        registry.add("spring.datasource.hikari.maximum-pool-size", () -> "4");
        registry.add("chuanyu.evidence.signing-key-file", () -> DIR.resolve("keys/evidence.pem").toString());
        registry.add("chuanyu.identity.service-key-file",
                () -> DIR.resolve("keys/evidence-exchange-service-private.pem").toString());
    }

    @AfterAll
    static void cleanUp() throws IOException {
        CASE_TRANSFERS.stop();
        FileSystemUtils.deleteRecursively(DIR);
    }

    @LocalServerPort
    int port;

    @Autowired
    AgencyDirectory agencies;

    @Autowired
    JdbcClient jdbc;

    @Test
    void whenCaseTransferServiceHangsOrIsDownCallersGetAFast503AndNothingIsCreated() {
        EvidenceHttp http = new EvidenceHttp(port);
        for (Caller c : new Caller[] {CHENGDU_COURT, CQ_COURT}) {
            agencies.register(new AgencyRegistered(c.id(), c.id(), c.region(), c.kind()));
        }
        long before = packageCount();

        // Hanging: each attempt times out after ~1 s, retried once.
        CASE_TRANSFERS.stubFor(get(anyUrl()).willReturn(aResponse().withStatus(200).withFixedDelay(10_000)));
        Timed hanging = create(http);
        assertUnavailable(hanging, 3000);
        CASE_TRANSFERS.verify(2, getRequestedFor(anyUrl()));

        // Down: connection refused, twice, quickly.
        CASE_TRANSFERS.stop();
        Timed down = create(http);
        assertUnavailable(down, 3000);
        assertUnavailable(create(http), 3000);

        // Six failed calls: the circuit is open, so the next caller is told at once without a call.
        Timed open = create(http);
        assertUnavailable(open, 500);
        assertThat(open.response().json().path("detail").asString()).contains("paused");
        assertThat(open.response().header("Retry-After")).isNotBlank();

        assertThat(packageCount()).isEqualTo(before);
        assertThat(jdbc.sql("select count(*) from custody_event").query(Long.class).single()).isZero();
        assertThat(jdbc.sql("select count(*) from outbox_event").query(Long.class).single()).isZero();

        // An unlinked package does not need case-transfer-service at all.
        assertThat(http.postJson(CHENGDU_COURT, "", createJson("unlinked", CQ_COURT.id(), null)).status())
                .isEqualTo(201);
    }

    record Timed(Response response, long millis) {
    }

    private static Timed create(EvidenceHttp http) {
        long start = System.nanoTime();
        Response response = http.postJson(CHENGDU_COURT, "", createJson("t", CQ_COURT.id(),
                "\"caseTransferId\": \"" + UUID.randomUUID() + "\""));
        return new Timed(response, (System.nanoTime() - start) / 1_000_000);
    }

    private static void assertUnavailable(Timed timed, long withinMillis) {
        assertThat(timed.response().status()).as(timed.response().body()).isEqualTo(503);
        assertThat(timed.response().contentType()).startsWith("application/problem+json");
        assertThat(timed.response().json().path("service").asString()).isEqualTo("case-transfer-service");
        assertThat(timed.response().json().path("detail").asString()).contains("case-transfer-service");
        assertThat(timed.millis()).as("elapsed ms").isLessThan(withinMillis);
    }

    private long packageCount() {
        return jdbc.sql("select count(*) from evidence_package").query(Long.class).single();
    }
}
