package cn.chuanyu.evidence;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import cn.chuanyu.contracts.AgencyKind;
import cn.chuanyu.contracts.AgencyRegistered;
import cn.chuanyu.contracts.EventEnvelope;
import cn.chuanyu.contracts.Region;
import cn.chuanyu.evidence.EvidenceHttp.Response;
import cn.chuanyu.evidence.storage.FileSystemEvidenceStore;
import cn.chuanyu.kit.agency.AgencyDirectory;
import cn.chuanyu.kit.agency.AgencyState;
import cn.chuanyu.kit.identity.Caller;
import cn.chuanyu.kit.identity.Ed25519Keys;
import cn.chuanyu.kit.identity.PrincipalTokens;
import cn.chuanyu.kit.identity.ServiceIdentity;
import cn.chuanyu.kit.test.ApiDocsRules;
import cn.chuanyu.kit.test.TestInfrastructure;
import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;
import tools.jackson.databind.JsonNode;

import static cn.chuanyu.evidence.EvidenceHttp.CHENGDU_COURT;
import static cn.chuanyu.evidence.EvidenceHttp.CQ_COURT;
import static cn.chuanyu.evidence.EvidenceHttp.YUBEI_POLICE;
import static cn.chuanyu.evidence.EvidenceHttp.createJson;
import static cn.chuanyu.evidence.EvidenceHttp.hex;
import static cn.chuanyu.evidence.EvidenceHttp.reprDigest;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The evidence API as partner agencies' systems meet it behind the gateway, with a stub case-transfer-service. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class EvidencePackageApiIT {

    static final WireMockServer CASE_TRANSFERS = new WireMockServer(options().dynamicPort().http2PlainDisabled(true));
    static final Path DIR = tempDir();

    static {
        CASE_TRANSFERS.start();
    }

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.register(registry, "evidence");
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
    RabbitTemplate rabbit;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    FileSystemEvidenceStore store;

    EvidenceHttp http;

    @BeforeEach
    void setUp() {
        http = new EvidenceHttp(port);
        for (Caller c : new Caller[] {CHENGDU_COURT, CQ_COURT, YUBEI_POLICE}) {
            agencies.register(new AgencyRegistered(c.id(), c.id(), c.region(), c.kind()));
        }
    }

    /** One node: no link connector, nothing under /link/, no delivery evidences (issue 15 leaves it as it was). */
    @Test
    void oneNodeServesNothingUnderLinkAndIssuesNoEvidences() throws Exception {
        Response created = http.postJson(CHENGDU_COURT, "", createJson("单节点", CQ_COURT.id(), null));
        String id = created.json().get("id").asString();
        assertThat(http.put(CHENGDU_COURT, "/" + id + "/items/a.txt", "x".getBytes(StandardCharsets.UTF_8),
                "Content-Type", "text/plain").status()).isEqualTo(201);
        assertThat(http.post(CHENGDU_COURT, "/" + id + "/seal").status()).isEqualTo(200);
        HttpResponse<String> link = EvidenceHttp.CLIENT.send(HttpRequest.newBuilder(URI.create("http://localhost:"
                + port + "/link/v1/packages/" + id + "/items/" + hex("x".getBytes(StandardCharsets.UTF_8))
                + "/content")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(link.statusCode()).isEqualTo(404);
        Response evidences = http.get(CQ_COURT, "/" + id + "/evidences");
        assertThat(evidences.status()).as(evidences.body()).isEqualTo(200);
        assertThat(evidences.json().size()).isZero();
        assertThat(jdbc.sql("select count(*) from outbox_event where link_to is not null").query(Integer.class)
                .single()).isZero();
        // The sealed event is the summary it always was.
        String sealed = jdbc.sql("select data from custody_event where package_id = :id and type = 'evidence.sealed'")
                .param("id", UUID.fromString(id)).query(String.class).single();
        assertThat(sealed).doesNotContain("manifest\"").doesNotContain("null");
    }

    @Autowired
    ServiceIdentity identity;

    /** Issue 13: evidence calls case-transfer as itself, naming the caller; it never passes the caller's token on. */
    @Test
    void theLinkageCheckCarriesThisServicesOwnTokenForTheCallerAndTheOneRequest() throws Exception {
        UUID transfer = UUID.randomUUID();
        String path = "/api/v1/case-transfers/" + transfer;
        CASE_TRANSFERS.stubFor(get(path).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"id\":\"" + transfer + "\",\"state\":\"SUBMITTED\",\"caseNumber\":\"(2026)川01刑初2号\","
                        + "\"fromAgency\":\"" + CHENGDU_COURT.id() + "\",\"toAgency\":\"" + CQ_COURT.id() + "\"}")));

        Response created = http.postJson(CHENGDU_COURT, "", createJson("令牌", CQ_COURT.id(),
                "\"caseTransferId\": \"" + transfer + "\""));
        assertThat(created.status()).as(created.body()).isEqualTo(201);

        String sent = CASE_TRANSFERS.findAll(getRequestedFor(urlEqualTo(path))).get(0)
                .getHeader(PrincipalTokens.HEADER);
        // Checked as case-transfer-service checks it, with the public key this service wrote beside its own.
        PublicKey published = Ed25519Keys.publicKey(Files.readString(
                DIR.resolve("keys/evidence-exchange-service-public.pem")));
        assertThat(published).isEqualTo(identity.publicKey());
        var caseTransfers = new PrincipalTokens.Verifier("case-transfer-service", Map.of(
                "evidence-exchange-service", published, PrincipalTokens.GATEWAY,
                TestInfrastructure.GATEWAY_KEYS.getPublic()));
        PrincipalTokens.Verified verified = caseTransfers.verify(sent, "GET", path, Instant.now());
        assertThat(verified.issuer()).isEqualTo("evidence-exchange-service");
        assertThat(verified.caller()).isEqualTo(CHENGDU_COURT);
    }

    @Test
    void aLinkedPackageIsFilledSealedDownloadedAndVerifiedWithItsWholeChainOfCustody() throws Exception {
        UUID transfer = UUID.randomUUID();
        CASE_TRANSFERS.stubFor(get("/api/v1/case-transfers/" + transfer).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"id\":\"" + transfer + "\",\"state\":\"SUBMITTED\",\"caseNumber\":\"(2026)川01刑初1号\","
                        + "\"fromAgency\":\"" + CHENGDU_COURT.id() + "\",\"toAgency\":\"" + CQ_COURT.id() + "\"}")));

        Response created = http.postJson(CHENGDU_COURT, "", createJson("诈骗案证据", CQ_COURT.id(),
                "\"caseTransferId\": \"" + transfer + "\""));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = created.json().path("id").asString();
        assertThat(created.header("Location")).isEqualTo("/api/v1/evidence-packages/" + id);
        assertThat(created.json().path("state").asString()).isEqualTo("OPEN");
        assertThat(created.json().path("fromAgency").asString()).isEqualTo(CHENGDU_COURT.id());
        assertThat(created.json().path("caseTransferId").asString()).isEqualTo(transfer.toString());
        // The check ran on behalf of the caller, with the request's correlation id.
        CASE_TRANSFERS.verify(getRequestedFor(urlEqualTo("/api/v1/case-transfers/" + transfer))
                .withHeader("X-Chuanyu-Principal", matching(".+"))
                .withHeader("X-Correlation-Id", matching(created.header("X-Correlation-Id"))));

        byte[] report = "鉴定意见书 forensic report\n".repeat(100).getBytes(StandardCharsets.UTF_8);
        Response put = http.put(CHENGDU_COURT, "/" + id + "/items/%E9%89%B4%E5%AE%9A%E6%84%8F%E8%A7%81.txt", report,
                "Content-Type", "text/plain; charset=utf-8", "Repr-Digest", reprDigest(report));
        assertThat(put.status()).as(put.body()).isEqualTo(201);
        assertThat(put.json().path("name").asString()).isEqualTo("鉴定意见.txt");
        assertThat(put.json().path("size").asLong()).isEqualTo(report.length);
        assertThat(put.json().path("sha256").asString()).isEqualTo(hex(report));
        assertThat(put.json().path("contentType").asString()).isEqualTo("text/plain; charset=utf-8");
        assertThat(put.header("Repr-Digest")).isEqualTo(reprDigest(report));
        byte[] photo = randomBytes(300_000, 7);
        assertThat(http.put(CHENGDU_COURT, "/" + id + "/items/scene.jpg", photo, "Content-Type", "image/jpeg")
                .status()).isEqualTo(201);

        // The recipient cannot see an open package at all.
        assertThat(http.get(CQ_COURT, "/" + id).status()).isEqualTo(404);

        Response sealed = http.post(CHENGDU_COURT, "/" + id + "/seal");
        assertThat(sealed.status()).as(sealed.body()).isEqualTo(200);
        JsonNode manifest = sealed.json();
        String canonical = manifest.path("canonical").asString();
        assertThat(manifest.path("sha256").asString())
                .isEqualTo(hex(canonical.getBytes(StandardCharsets.UTF_8)));
        assertThat(canonical).startsWith("{\"fromAgency\":\"" + CHENGDU_COURT.id() + "\",\"items\":[{");
        assertThat(manifest.path("manifest").path("items").findValuesAsString("name"))
                .containsExactly("scene.jpg", "鉴定意见.txt");
        assertThat(manifest.path("manifest").path("packageId").asString()).isEqualTo(id);
        JsonNode key = http.get(CQ_COURT, "/signing-key").json();
        assertThat(key.path("keyId").asString()).isEqualTo(manifest.path("signingKeyId").asString());
        assertThat(cn.chuanyu.evidence.signing.EvidenceSigningKey.verify(
                Ed25519Keys.publicKey(key.path("publicKeyPem").asString()), canonical.getBytes(StandardCharsets.UTF_8),
                Base64.getDecoder().decode(manifest.path("signature").asString()))).isTrue();

        // Sealed means frozen.
        Response late = http.put(CHENGDU_COURT, "/" + id + "/items/late.txt", "late".getBytes());
        assertThat(late.status()).isEqualTo(409);
        assertThat(late.json().path("currentState").asString()).isEqualTo("SEALED");
        assertThat(http.put(CHENGDU_COURT, "/" + id + "/items/scene.jpg", "x".getBytes()).status()).isEqualTo(409);
        assertThat(http.post(CHENGDU_COURT, "/" + id + "/seal").status()).isEqualTo(409);
        assertThat(http.post(CHENGDU_COURT, "/" + id + "/uploads", "Upload-Length", "5", "Upload-Metadata",
                "filename " + b64("more.bin")).status()).isEqualTo(409);

        // The recipient now sees it, its manifest, and downloads exactly what was sealed.
        Response received = http.get(CQ_COURT, "/" + id);
        assertThat(received.status()).isEqualTo(200);
        assertThat(received.json().path("state").asString()).isEqualTo("SEALED");
        assertThat(received.json().path("items").findValuesAsString("sha256")).contains(hex(report), hex(photo));
        assertThat(http.get(CQ_COURT, "/" + id + "/manifest").json().path("canonical").asString()).isEqualTo(canonical);
        Response download = http.get(CQ_COURT, "/" + id + "/items/%E9%89%B4%E5%AE%9A%E6%84%8F%E8%A7%81.txt");
        assertThat(download.status()).isEqualTo(200);
        assertThat(download.bytes()).isEqualTo(report);
        assertThat(download.header("Repr-Digest")).isEqualTo(reprDigest(report));
        assertThat(download.contentType()).startsWith("text/plain");

        Response receipt = http.post(CQ_COURT, "/" + id + "/receipt");
        assertThat(receipt.status()).as(receipt.body()).isEqualTo(200);
        assertThat(receipt.json().path("result").asString()).isEqualTo("verified");
        assertThat(receipt.json().path("items").findValuesAsString("status")).containsOnly("verified");

        // The other party is refused what is not theirs.
        assertThat(http.post(CHENGDU_COURT, "/" + id + "/receipt").status()).isEqualTo(403);
        assertThat(http.post(CQ_COURT, "/" + id + "/seal").status()).isEqualTo(403);
        assertThat(http.put(CQ_COURT, "/" + id + "/items/x.txt", "x".getBytes()).status()).isEqualTo(403);

        List<String> types = List.of("evidence.package-created", "evidence.item-added", "evidence.item-added",
                "evidence.sealed", "evidence.item-downloaded", "evidence.receipt-verified");
        for (Caller party : new Caller[] {CHENGDU_COURT, CQ_COURT}) {
            JsonNode custody = http.get(party, "/" + id + "/custody").json();
            assertThat(custody.path("items").findValuesAsString("type")).containsExactlyElementsOf(types);
        }
        JsonNode custody = http.get(CQ_COURT, "/" + id + "/custody").json().path("items");
        JsonNode downloaded = custody.get(4);
        assertThat(downloaded.path("actor").asString()).isEqualTo(CQ_COURT.id());
        assertThat(downloaded.path("data").path("bytesSent").asLong()).isEqualTo(report.length);
        assertThat(downloaded.path("data").path("integrity").asString()).isEqualTo("verified");
        assertThat(http.get(CQ_COURT, "/" + id + "/custody?limit=2").json().path("nextCursor").asString()).isNotBlank();

        // Each custody event is also on its way to the audit trail, with the same id.
        List<EventEnvelope> events = AuditQueue.awaitEvents(rabbit, id, found -> found.size() >= types.size());
        assertThat(events).extracting(EventEnvelope::type).containsExactlyElementsOf(types);
        assertThat(events).allSatisfy(e -> {
            assertThat(e.source()).isEqualTo("evidence-exchange-service");
            assertThat(e.fromAgency()).isEqualTo(CHENGDU_COURT.id());
            assertThat(e.toAgency()).isEqualTo(CQ_COURT.id());
        });
        assertThat(events.get(0).id()).isEqualTo(custody.get(0).path("eventId").asString());
        assertThat(events.get(0).correlationId()).isEqualTo(created.header("X-Correlation-Id"));
    }

    @Test
    void aLinkTheCallerIsNotPartyToOrWithAnotherRecipientIsRefusedAndCreatesNothing() {
        UUID unknown = UUID.randomUUID();
        CASE_TRANSFERS.stubFor(get("/api/v1/assistance-requests/" + unknown).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/problem+json").withBody("{\"status\":404}")));
        UUID others = UUID.randomUUID();
        CASE_TRANSFERS.stubFor(get("/api/v1/case-transfers/" + others).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"id\":\"" + others + "\",\"fromAgency\":\"" + CHENGDU_COURT.id() + "\",\"toAgency\":\""
                        + YUBEI_POLICE.id() + "\",\"state\":\"ACCEPTED\"}")));
        long before = packageCount();

        Response notParty = http.postJson(CHENGDU_COURT, "", createJson("t", CQ_COURT.id(),
                "\"assistanceRequestId\": \"" + unknown + "\""));
        assertThat(notParty.status()).as(notParty.body()).isEqualTo(422);
        assertThat(notParty.json().path("errors").findValuesAsString("field")).contains("assistanceRequestId");

        Response wrongRecipient = http.postJson(CHENGDU_COURT, "", createJson("t", CQ_COURT.id(),
                "\"caseTransferId\": \"" + others + "\""));
        assertThat(wrongRecipient.status()).isEqualTo(422);
        assertThat(wrongRecipient.json().path("errors").findValuesAsString("field")).contains("toAgency");

        assertThat(http.postJson(CHENGDU_COURT, "", createJson("t", "cq-no-such-agency", null)).status())
                .isEqualTo(422);
        assertThat(http.postJson(CHENGDU_COURT, "", createJson("t", CHENGDU_COURT.id(), null)).status())
                .isEqualTo(422);
        assertThat(http.postJson(CHENGDU_COURT, "", createJson("t", CQ_COURT.id(), "\"caseTransferId\": \""
                + others + "\", \"assistanceRequestId\": \"" + unknown + "\"")).status()).isEqualTo(422);
        assertThat(http.postJson(CHENGDU_COURT, "", "{\"toAgency\": \"" + CQ_COURT.id() + "\"}").status())
                .isEqualTo(400);
        assertThat(packageCount()).isEqualTo(before);
    }

    @Test
    void aSuspendedAgencyIsRefusedAsARecipientUntilReactivated() {
        // A fresh agency: the suspension must not leak into the other tests sharing this database.
        String suspended = "cq-suspended-" + UUID.randomUUID().toString().substring(0, 8);
        agencies.register(new AgencyRegistered(suspended, suspended, Region.CQ, AgencyKind.COURT));
        Instant at = Instant.now();
        // What the kit's listener does with the gateway's agency.suspended (the broker path: case-transfer's IT).
        assertThat(agencies.changeState(suspended, AgencyState.SUSPENDED, at)).isTrue();
        long before = packageCount();

        Response refused = http.postJson(CHENGDU_COURT, "", createJson("t", suspended, null));
        assertThat(refused.status()).as(refused.body()).isEqualTo(422);
        assertThat(refused.json().path("errors").get(0).path("field").asString()).isEqualTo("toAgency");
        assertThat(refused.json().path("errors").get(0).path("message").asString()).contains(suspended, "SUSPENDED");
        assertThat(packageCount()).isEqualTo(before);

        assertThat(agencies.changeState(suspended, AgencyState.ACTIVE, at.plusSeconds(1))).isTrue();
        assertThat(http.postJson(CHENGDU_COURT, "", createJson("t", suspended, null)).status()).isEqualTo(201);
    }

    @Test
    void aBodyThatDoesNotMatchItsReprDigestIsRefusedAndNothingIsKept() throws IOException {
        String id = openPackage();
        byte[] content = randomBytes(200_000, 1);
        byte[] other = randomBytes(200_000, 2);
        long objects = storedObjects();

        Response refused = http.put(CHENGDU_COURT, "/" + id + "/items/a.bin", content, "Repr-Digest",
                reprDigest(other));
        assertThat(refused.status()).as(refused.body()).isEqualTo(422);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.json().path("errors").findValuesAsString("field")).contains("Repr-Digest");
        assertThat(refused.json().path("actualSha256").asString()).isEqualTo(hex(content));
        assertThat(http.get(CHENGDU_COURT, "/" + id).json().path("items")).isEmpty();
        assertThat(storedObjects()).isEqualTo(objects);
        try (var tmp = Files.list(DIR.resolve("store/tmp"))) {
            assertThat(tmp.count()).isZero();
        }

        Response malformed = http.put(CHENGDU_COURT, "/" + id + "/items/a.bin", content, "Repr-Digest", "sha-256=abc");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().path("errors").findValuesAsString("field")).contains("Repr-Digest");

        // Other algorithms are ignored (RFC 9530); a matching sha-256 among them is checked and accepted.
        Response accepted = http.put(CHENGDU_COURT, "/" + id + "/items/a.bin", content, "Repr-Digest",
                "sha-512=:AAAA:, sha-256=:" + Base64.getEncoder().encodeToString(EvidenceHttp.sha256(content)) + ":");
        assertThat(accepted.status()).isEqualTo(201);
        assertThat(accepted.json().path("sha256").asString()).isEqualTo(hex(content));
        assertThat(Files.exists(store.pathOf(hex(content)))).isTrue();
    }

    @Test
    void badFileNamesAreRefusedWithAProblemNamingFileName() {
        String id = openPackage();
        for (String raw : List.of("a..b", "%E2%80%AEtxt.exe", "x".repeat(256), "%E9%89%B4".repeat(86))) {
            Response response = http.put(CHENGDU_COURT, "/" + id + "/items/" + raw, "x".getBytes());
            assertThat(response.status()).as(raw + ": " + response.body()).isEqualTo(400);
            assertThat(response.contentType()).as(raw).startsWith("application/problem+json");
            assertThat(response.json().path("errors").findValuesAsString("field")).as(raw).contains("fileName");
        }
        // Dot segments, encoded separators and control characters (C0, DEL, C1) never reach the items API: every
        // service refuses such paths, whatever the route.
        for (String raw : List.of("..", ".", "x%2Fy", "x%5Cy", "..%2Fetc%2Fpasswd", "100%252E.txt", "x%01y", "x%7Fy",
                "x%C2%85y")) {
            Response response = http.put(CHENGDU_COURT, "/" + id + "/items/" + raw, "x".getBytes());
            assertThat(response.status()).as(raw + ": " + response.body()).isEqualTo(400);
            assertThat(response.contentType()).as(raw).startsWith("application/problem+json");
        }
        // Not UTF-8: Tomcat refuses it before the application sees it (a plain 400 page, not a problem).
        assertThat(http.put(CHENGDU_COURT, "/" + id + "/items/%FF%FE", "x".getBytes()).status()).isEqualTo(400);
        Response empty = http.put(CHENGDU_COURT, "/" + id + "/items/", "x".getBytes());
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.json().path("errors").findValuesAsString("field")).contains("fileName");
        // A 255-byte name and a name with (encoded) ; and spaces are fine.
        assertThat(http.put(CHENGDU_COURT, "/" + id + "/items/" + "x".repeat(255), "x".getBytes()).status())
                .isEqualTo(201);
        Response odd = http.put(CHENGDU_COURT, "/" + id + "/items/a%3Bb%20c.txt", "x".getBytes());
        assertThat(odd.status()).isEqualTo(201);
        assertThat(odd.json().path("name").asString()).isEqualTo("a;b c.txt");
        assertThat(http.get(CHENGDU_COURT, "/" + id).json().path("items")).hasSize(2);
    }

    /** Each refused for its own reason by the one item-name rule, whether it arrives in the URL or tus metadata. */
    static final List<String> MISLEADING_NAMES = List.of("CON.txt", "lpt1", "a\uFF0Fb.txt", "a\u2215b.txt",
            "\uFF0E\uFF0E", "x\u200B.txt", "\uFEFFx.txt", "x\u2028y", "x.txt.", "x.txt ", " x.txt", "   ",
            "\u3000", "a\u202Eb");

    @Test
    void misleadingNamesAreRefusedTheSameWayByPutAndByTus() {
        String id = openPackage();
        for (String name : MISLEADING_NAMES) {
            Response put = http.put(CHENGDU_COURT, "/" + id + "/items/" + encode(name), "x".getBytes());
            assertThat(put.status()).as(name + ": " + put.body()).isEqualTo(400);
            assertThat(put.contentType()).as(name).startsWith("application/problem+json");
            assertThat(put.json().path("errors").findValuesAsString("field")).as(name).containsExactly("fileName");

            Response tus = http.post(CHENGDU_COURT, "/" + id + "/uploads", "Tus-Resumable", "1.0.0", "Upload-Length",
                    "1", "Upload-Metadata", "filename " + b64(name));
            assertThat(tus.status()).as(name + ": " + tus.body()).isEqualTo(400);
            assertThat(tus.contentType()).as(name).startsWith("application/problem+json");
            assertThat(tus.json().path("errors").findValuesAsString("field")).as(name).containsExactly("fileName");
            assertThat(tus.json().path("detail").asString()).as(name).isEqualTo(put.json().path("detail").asString());
        }
        // By tus, a name that would read as an escape in its URL; by PUT such a URL never reaches the API at all.
        Response escapeLike = http.post(CHENGDU_COURT, "/" + id + "/uploads", "Tus-Resumable", "1.0.0",
                "Upload-Length", "1", "Upload-Metadata", "filename " + b64("x%41.txt"));
        assertThat(escapeLike.status()).as(escapeLike.body()).isEqualTo(400);
        assertThat(escapeLike.json().path("errors").findValuesAsString("field")).containsExactly("fileName");
        assertThat(http.put(CHENGDU_COURT, "/" + id + "/items/x%2541.txt", "x".getBytes()).status()).isEqualTo(400);
        assertThat(http.get(CHENGDU_COURT, "/" + id).json().path("items")).isEmpty();
        assertThat(jdbc.sql("select count(*) from evidence_upload where package_id = ?").param(UUID.fromString(id))
                .query(Long.class).single()).isZero();
    }

    @Test
    void aNameIsTakenInNfcSoTwoSpellingsOfItAreOneItem() {
        String id = openPackage();
        Response decomposed = http.put(CHENGDU_COURT, "/" + id + "/items/e%CC%81.txt", "one".getBytes());
        assertThat(decomposed.status()).as(decomposed.body()).isEqualTo(201);
        assertThat(decomposed.json().path("name").asString()).isEqualTo("\u00E9.txt");
        assertThat(decomposed.header("Location")).endsWith("/items/%C3%A9.txt");
        Response composed = http.put(CHENGDU_COURT, "/" + id + "/items/%C3%A9.txt", "two".getBytes());
        assertThat(composed.status()).as(composed.body()).isEqualTo(200);
        assertThat(http.get(CHENGDU_COURT, "/" + id).json().path("items")).hasSize(1);
        assertThat(http.get(CHENGDU_COURT, "/" + id + "/items/e%CC%81.txt").body()).isEqualTo("two");
        // Case is kept: another case is another item.
        assertThat(http.put(CHENGDU_COURT, "/" + id + "/items/%C3%89.txt", "three".getBytes()).status())
                .isEqualTo(201);
    }

    @Test
    void anItemUploadedAs100PercentTxtDownloadsByItsEncodedName() {
        String id = openPackage();
        byte[] content = "a hundred per cent".getBytes(StandardCharsets.UTF_8);
        Response created = http.post(CHENGDU_COURT, "/" + id + "/uploads", "Tus-Resumable", "1.0.0", "Upload-Length",
                Long.toString(content.length), "Upload-Metadata", "filename " + b64("100%.txt"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        Response done = patch(created.header("Location").substring("/api/v1/evidence-packages".length()), 0, content);
        assertThat(done.status()).as(done.body()).isEqualTo(204);
        assertThat(done.header("Content-Location")).endsWith("/items/100%25.txt");

        Response download = http.get(CHENGDU_COURT, "/" + id + "/items/100%25.txt");
        assertThat(download.status()).as(download.body()).isEqualTo(200);
        assertThat(download.bytes()).isEqualTo(content);
        assertThat(download.header("Content-Disposition")).isEqualTo("attachment; filename*=UTF-8''100%25.txt");
        // PUT reaches the same item by the same URL.
        assertThat(http.put(CHENGDU_COURT, "/" + id + "/items/100%25.txt", content).status()).isEqualTo(200);
    }

    @Test
    void nulAndOverlongUtf8InTheItemPathAreProblems() {
        String id = openPackage();
        for (String raw : List.of("x%00y", "%C0%AE%C0%AE", "%FF%FE", "%E9%89")) {
            Response response = http.get(CHENGDU_COURT, "/" + id + "/items/" + raw);
            assertThat(response.status()).as(raw + ": " + response.body()).isEqualTo(400);
            assertThat(response.contentType()).as(raw).startsWith("application/problem+json");
        }
    }

    @Test
    void aTitleWithBidiOverridesOrC1ControlsIsRefusedInTheOneProblemThatNamesEveryField() {
        long before = packageCount();
        for (String title : List.of("invoice\u202Efdp.exe", "line\u0085break", "zero\u200Bwidth", "a\u2028b",
                "e\u0301")) {
            Response bad = http.postJson(CHENGDU_COURT, "", createJson(json(title), "Not An Agency", null));
            assertThat(bad.status()).as(title + ": " + bad.body()).isEqualTo(400);
            assertThat(bad.contentType()).startsWith("application/problem+json");
            assertThat(bad.json().path("errors").findValuesAsString("field")).as(title)
                    .containsExactlyInAnyOrder("title", "toAgency");
        }
        assertThat(packageCount()).isEqualTo(before);
    }

    /** A JSON string body for {@code text}, every non-ASCII character as a \\u escape. */
    private static String json(String text) {
        StringBuilder out = new StringBuilder();
        text.chars().forEach(c -> out.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", c)
                : String.valueOf((char) c)));
        return out.toString();
    }

    /** Every UTF-8 byte of {@code name} outside the unreserved set percent-encoded, as a careful client does. */
    private static String encode(String name) {
        StringBuilder out = new StringBuilder();
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            out.append(Character.isLetterOrDigit(c) && c < 0x80 || "-._~".indexOf(c) >= 0 ? String.valueOf((char) c)
                    : String.format("%%%02X", c));
        }
        return out.toString();
    }

    @Test
    void aResumableUploadContinuesFromWhatTheServiceHoldsAfterAConnectionBreaks() throws Exception {
        String id = openPackage();
        byte[] content = randomBytes(5 * 1024 * 1024 + 123, 3);
        Response created = http.post(CHENGDU_COURT, "/" + id + "/uploads", "Tus-Resumable", "1.0.0", "Upload-Length",
                Long.toString(content.length), "Upload-Metadata", "filename " + b64("录像 1.mp4") + ",filetype "
                        + b64("video/mp4"), "Repr-Digest", reprDigest(content));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.header("Tus-Resumable")).isEqualTo("1.0.0");
        String upload = created.header("Location").substring("/api/v1/evidence-packages".length());

        // First PATCH: the client dies after 2 MiB of the body.
        int breakAt = 2 * 1024 * 1024;
        assertThatThrownBy(() -> EvidenceHttp.CLIENT.send(TestInfrastructure.signed(http.request(CHENGDU_COURT, upload)
                        .header("Tus-Resumable", "1.0.0").header("Upload-Offset", "0")
                        .header("Content-Type", "application/offset+octet-stream")
                        .method("PATCH", HttpRequest.BodyPublishers.ofInputStream(() -> breakingAfter(content, breakAt)))
                        .build()), HttpResponse.BodyHandlers.discarding()))
                .isInstanceOf(IOException.class);

        long offset = awaitStableOffset(upload);
        assertThat(offset).isBetween(0L, (long) breakAt);

        Response wrongOffset = patch(upload, offset + 1, Arrays.copyOfRange(content, (int) offset + 1, content.length));
        assertThat(wrongOffset.status()).isEqualTo(409);
        assertThat(wrongOffset.header("Upload-Offset")).isEqualTo(Long.toString(offset));

        // Second PATCH: one more MiB, cleanly.
        int next = (int) offset + 1024 * 1024;
        Response middle = patch(upload, offset, Arrays.copyOfRange(content, (int) offset, next));
        assertThat(middle.status()).as(middle.body()).isEqualTo(204);
        assertThat(middle.header("Upload-Offset")).isEqualTo(Long.toString(next));
        assertThat(http.get(CHENGDU_COURT, "/" + id).json().path("items")).isEmpty();

        // Last PATCH: the rest; the digest is checked over the whole file and the item appears.
        Response last = patch(upload, next, Arrays.copyOfRange(content, next, content.length));
        assertThat(last.status()).as(last.body()).isEqualTo(204);
        assertThat(last.header("Upload-Offset")).isEqualTo(Long.toString(content.length));
        assertThat(last.header("Repr-Digest")).isEqualTo(reprDigest(content));
        JsonNode item = http.get(CHENGDU_COURT, "/" + id).json().path("items").get(0);
        assertThat(item.path("name").asString()).isEqualTo("录像 1.mp4");
        assertThat(item.path("sha256").asString()).isEqualTo(hex(content));
        assertThat(item.path("contentType").asString()).isEqualTo("video/mp4");
        assertThat(http.get(CHENGDU_COURT, last.header("Content-Location").substring(25)).bytes()).isEqualTo(content);
        assertThat(http.send(http.request(CHENGDU_COURT, upload).method("HEAD", HttpRequest.BodyPublishers.noBody()))
                .header("Upload-Offset")).isEqualTo(Long.toString(content.length));

        // A resumable upload whose whole does not match its digest is discarded.
        Response bad = http.post(CHENGDU_COURT, "/" + id + "/uploads", "Upload-Length", "10", "Upload-Metadata",
                "filename " + b64("bad.bin"), "Repr-Digest", reprDigest("0123456789".getBytes()));
        String badUpload = bad.header("Location").substring("/api/v1/evidence-packages".length());
        assertThat(patch(badUpload, 0, "01234".getBytes()).status()).isEqualTo(204);
        Response mismatch = patch(badUpload, 5, "xxxxx".getBytes());
        assertThat(mismatch.status()).isEqualTo(422);
        assertThat(http.get(CHENGDU_COURT, badUpload).status()).isEqualTo(404);
        assertThat(http.get(CHENGDU_COURT, "/" + id).json().path("items")).hasSize(1);

        // Protocol details: version, content type, discovery.
        assertThat(http.post(CHENGDU_COURT, "/" + id + "/uploads", "Tus-Resumable", "0.2.2", "Upload-Length", "1",
                "Upload-Metadata", "filename " + b64("v.bin")).status()).isEqualTo(412);
        assertThat(http.send(http.request(CHENGDU_COURT, upload).header("Upload-Offset", "0")
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(new byte[1]))).status()).isEqualTo(415);
        Response options = http.send(http.request(CHENGDU_COURT, "/" + id + "/uploads")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
        assertThat(options.header("Tus-Version")).isEqualTo("1.0.0");
        assertThat(options.header("Tus-Extension")).contains("creation");
        // Only the sender sees its uploads.
        assertThat(http.get(YUBEI_POLICE, upload).status()).isEqualTo(404);
    }

    @Test
    void aThirdAgencyGetsNotFoundForEverything() {
        String id = openPackage();
        http.put(CHENGDU_COURT, "/" + id + "/items/a.txt", "a".getBytes());
        assertThat(http.post(CHENGDU_COURT, "/" + id + "/seal").status()).isEqualTo(200);

        for (Response r : List.of(http.get(YUBEI_POLICE, "/" + id), http.get(YUBEI_POLICE, "/" + id + "/manifest"),
                http.get(YUBEI_POLICE, "/" + id + "/items/a.txt"), http.get(YUBEI_POLICE, "/" + id + "/custody"),
                http.post(YUBEI_POLICE, "/" + id + "/receipt"), http.post(YUBEI_POLICE, "/" + id + "/seal"),
                http.put(YUBEI_POLICE, "/" + id + "/items/b.txt", "b".getBytes()),
                http.post(YUBEI_POLICE, "/" + id + "/uploads", "Upload-Length", "1", "Upload-Metadata",
                        "filename " + b64("c.bin")))) {
            assertThat(r.status()).as(r.body()).isEqualTo(404);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.body()).doesNotContain(CHENGDU_COURT.id());
        }
        assertThat(http.get(YUBEI_POLICE, "?direction=incoming").json().path("items").findValuesAsString("id"))
                .doesNotContain(id);
    }

    @Test
    void aStoredFileAlteredOnDiskIsAMismatchOnDownloadAndOnReceipt() throws Exception {
        String id = openPackage();
        byte[] small = randomBytes(50_000, 4);
        byte[] large = randomBytes(3 * 1024 * 1024, 5);
        http.put(CHENGDU_COURT, "/" + id + "/items/small.bin", small);
        http.put(CHENGDU_COURT, "/" + id + "/items/large.bin", large);
        http.put(CHENGDU_COURT, "/" + id + "/items/intact.bin", "intact".getBytes());
        http.post(CHENGDU_COURT, "/" + id + "/seal");
        flipOneByte(store.pathOf(hex(small)), 10_000);
        flipOneByte(store.pathOf(hex(large)), 2_000_000);

        // Small enough to be checked before the first byte goes out: a problem saying so.
        Response smallDownload = http.get(CQ_COURT, "/" + id + "/items/small.bin");
        assertThat(smallDownload.status()).isEqualTo(500);
        assertThat(smallDownload.contentType()).startsWith("application/problem+json");
        assertThat(smallDownload.json().path("integrity").asString()).isEqualTo("mismatch");
        assertThat(smallDownload.json().path("item").asString()).isEqualTo("small.bin");
        assertThat(smallDownload.header("X-Correlation-Id")).isNotBlank();
        // A Range of it is refused the same way: every stored byte is checked, not only the range.
        assertThat(http.get(CQ_COURT, "/" + id + "/items/small.bin", "Range", "bytes=0-9").status()).isEqualTo(500);

        // Larger: streaming has begun when the mismatch shows, so the connection is cut before the last bytes.
        assertThatThrownBy(() -> http.get(CQ_COURT, "/" + id + "/items/large.bin"))
                .isInstanceOf(UncheckedIOException.class);

        assertThat(http.get(CQ_COURT, "/" + id + "/items/intact.bin").bytes()).isEqualTo("intact".getBytes());

        JsonNode receipt = http.post(CQ_COURT, "/" + id + "/receipt").json();
        assertThat(receipt.path("result").asString()).isEqualTo("mismatch");
        for (JsonNode item : receipt.path("items")) {
            String expected = item.path("name").asString().equals("intact.bin") ? "verified" : "mismatch";
            assertThat(item.path("status").asString()).as(item.toString()).isEqualTo(expected);
        }
        List<String> types = http.get(CHENGDU_COURT, "/" + id + "/custody?limit=100").json().path("items")
                .findValuesAsString("type");
        assertThat(types.stream().filter("evidence.mismatch-found"::equals).count()).isEqualTo(2 + 1 + 2);
        assertThat(http.get(CHENGDU_COURT, "/" + id).json().path("lastReceipt").path("result").asString())
                .isEqualTo("mismatch");
        List<EventEnvelope> events = AuditQueue.awaitEvents(rabbit, id,
                found -> found.stream().filter(e -> e.type().equals("evidence.mismatch-found")).count() == 5);
        assertThat(events).anySatisfy(e -> {
            assertThat(e.type()).isEqualTo("evidence.mismatch-found");
            assertThat(e.data()).containsEntry("detectedDuring", "receipt").containsEntry("name", "large.bin");
        });
    }

    @Test
    void itemsDownloadInRanges() {
        String id = openPackage();
        byte[] content = randomBytes(1_000_000, 6);
        http.put(CHENGDU_COURT, "/" + id + "/items/v.bin", content, "Content-Type", "application/octet-stream");
        http.post(CHENGDU_COURT, "/" + id + "/seal");

        Response middle = http.get(CQ_COURT, "/" + id + "/items/v.bin", "Range", "bytes=500000-500099");
        assertThat(middle.status()).isEqualTo(206);
        assertThat(middle.header("Content-Range")).isEqualTo("bytes 500000-500099/1000000");
        assertThat(middle.bytes()).isEqualTo(Arrays.copyOfRange(content, 500_000, 500_100));
        assertThat(middle.header("Repr-Digest")).isEqualTo(reprDigest(content));

        Response resumed = http.get(CQ_COURT, "/" + id + "/items/v.bin", "Range", "bytes=999000-");
        assertThat(resumed.bytes()).isEqualTo(Arrays.copyOfRange(content, 999_000, 1_000_000));
        Response suffix = http.get(CQ_COURT, "/" + id + "/items/v.bin", "Range", "bytes=-10");
        assertThat(suffix.bytes()).isEqualTo(Arrays.copyOfRange(content, 999_990, 1_000_000));

        Response beyond = http.get(CQ_COURT, "/" + id + "/items/v.bin", "Range", "bytes=1000000-");
        assertThat(beyond.status()).isEqualTo(416);
        assertThat(beyond.header("Content-Range")).isEqualTo("bytes */1000000");

        Response stale = http.get(CQ_COURT, "/" + id + "/items/v.bin", "Range", "bytes=0-9", "If-Range", "\"other\"");
        assertThat(stale.status()).isEqualTo(200);
        assertThat(stale.bytes()).isEqualTo(content);

        JsonNode last = lastCustody(id);
        assertThat(last.path("type").asString()).isEqualTo("evidence.item-downloaded");
        assertThat(http.get(CQ_COURT, "/" + id + "/custody?limit=100").json().path("items").findValues("data")
                .stream().filter(d -> d.path("firstByte").asLong() == 500_000).findFirst().orElseThrow()
                .path("lastByte").asLong()).isEqualTo(500_099);
    }

    @Test
    void packagesAreListedByDirectionAndPaged() {
        String first = openPackage();
        String second = openPackage();
        http.put(CHENGDU_COURT, "/" + second + "/items/a.txt", "a".getBytes());
        http.post(CHENGDU_COURT, "/" + second + "/seal");

        JsonNode outgoing = http.get(CHENGDU_COURT, "?direction=outgoing&limit=1").json();
        assertThat(outgoing.path("items")).hasSize(1);
        assertThat(outgoing.path("items").get(0).path("id").asString()).isEqualTo(second);
        JsonNode page2 = http.get(CHENGDU_COURT, "?direction=outgoing&limit=1&cursor="
                + outgoing.path("nextCursor").asString()).json();
        assertThat(page2.path("items").get(0).path("id").asString()).isEqualTo(first);

        List<String> incoming = http.get(CQ_COURT, "?direction=incoming&limit=100").json().path("items")
                .findValuesAsString("id");
        assertThat(incoming).contains(second).doesNotContain(first);
        assertThat(http.get(CQ_COURT, "?direction=sideways").status()).isEqualTo(400);
        assertThat(http.get(CQ_COURT, "?cursor=bogus").status()).isEqualTo(400);
        assertThat(http.get(CQ_COURT, "?limit=0").status()).isEqualTo(400);
    }

    @Test
    void theOpenApiDocumentListsTheEvidenceOperations() {
        Response docs = http.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://localhost:" + port + "/v3/api-docs")).GET());
        assertThat(docs.status()).isEqualTo(200);
        JsonNode paths = docs.json().path("paths");
        assertThat(paths.has("/api/v1/evidence-packages/{id}/items/{fileName}")).isTrue();
        assertThat(paths.has("/api/v1/evidence-packages/{id}/uploads/{uploadId}")).isTrue();
        assertThat(paths.has("/api/v1/evidence-packages/{id}/seal")).isTrue();
        assertThat(paths.has("/api/v1/evidence-packages/signing-key")).isTrue();
        ApiDocsRules.assertFollowsTheRules("evidence-exchange-service", docs.json());

        // The item PUT: the body is the file (any type), with its optional digest; the name is a path segment.
        JsonNode put = paths.path("/api/v1/evidence-packages/{id}/items/{fileName}").path("put");
        assertThat(put.path("requestBody").path("required").asBoolean()).isTrue();
        assertThat(put.path("requestBody").path("content").path("*/*").path("schema").path("format").asString())
                .isEqualTo("binary");
        assertThat(put.path("parameters").findValuesAsString("name")).contains("id", "fileName", "Repr-Digest");
        assertThat(put.path("responses").path("201").path("headers").propertyNames())
                .contains("Location", "Repr-Digest");
        // tus: the headers each step takes and gives.
        JsonNode create = paths.path("/api/v1/evidence-packages/{id}/uploads").path("post");
        assertThat(create.path("parameters").findValuesAsString("name")).contains("Tus-Resumable",
                "Upload-Length", "Upload-Metadata", "Repr-Digest");
        assertThat(create.path("responses").path("201").path("headers").propertyNames())
                .contains("Location", "Upload-Offset", "Tus-Resumable");
        JsonNode patch = paths.path("/api/v1/evidence-packages/{id}/uploads/{uploadId}").path("patch");
        assertThat(patch.path("parameters").findValuesAsString("name")).contains("Upload-Offset");
        assertThat(patch.path("requestBody").path("content").has("application/offset+octet-stream")).isTrue();
        assertThat(paths.path("/api/v1/evidence-packages/{id}/uploads/{uploadId}").path("head").path("responses")
                .path("200").path("headers").propertyNames()).contains("Upload-Offset", "Upload-Length");
    }

    /**
     * Constant memory: a 300 MB body streamed to the store. The service's request thread allocates a fixed amount
     * (its 128 KiB buffer and the usual request overhead), however large the body.
     */
    @Test
    void a300MegabyteItemStreamsThroughInConstantMemory() throws Exception {
        String id = openPackage();
        long size = 300L * 1024 * 1024;
        MessageDigest clientDigest = MessageDigest.getInstance("SHA-256");
        System.gc();
        long heapBefore = usedHeap();
        long started = System.nanoTime();
        HttpResponse<String> response = EvidenceHttp.CLIENT.send(TestInfrastructure.signed(
                http.request(CHENGDU_COURT, "/" + id + "/items/big.bin")
                .PUT(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.security.DigestInputStream(new PatternStream(size), clientDigest)), size))
                .build()), HttpResponse.BodyHandlers.ofString());
        double seconds = (System.nanoTime() - started) / 1e9;
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        String sha = java.util.HexFormat.of().formatHex(clientDigest.digest());
        assertThat(response.body()).contains(sha);
        long allocated = TrackAllocations.lastPutAllocatedBytes();
        System.gc();
        long heapAfter = usedHeap();
        System.out.printf("EVIDENCE-MEMORY: 300 MiB PUT in %.1f s (%.0f MiB/s); request thread allocated %d KiB; "
                + "heap used after GC %d MiB -> %d MiB%n", seconds, 300 / seconds, allocated / 1024,
                heapBefore >> 20, heapAfter >> 20);
        assertThat(allocated).as("bytes allocated by the upload's request thread").isLessThan(32L << 20);
        assertThat(Files.size(store.pathOf(sha))).isEqualTo(size);
        Files.delete(store.pathOf(sha));
    }

    @org.springframework.boot.test.context.TestConfiguration
    static class TrackAllocations {

        private static volatile long lastPut;

        static long lastPutAllocatedBytes() {
            return lastPut;
        }

        /** Counts what the request thread allocates while a PUT of an item is handled. */
        @org.springframework.context.annotation.Bean
        org.springframework.boot.web.servlet.FilterRegistrationBean<jakarta.servlet.Filter> allocationTracker() {
            com.sun.management.ThreadMXBean threads =
                    (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
            jakarta.servlet.Filter filter = (request, response, chain) -> {
                boolean put = "PUT".equals(((jakarta.servlet.http.HttpServletRequest) request).getMethod());
                long before = threads.getCurrentThreadAllocatedBytes();
                chain.doFilter(request, response);
                if (put) {
                    lastPut = threads.getCurrentThreadAllocatedBytes() - before;
                }
            };
            return new org.springframework.boot.web.servlet.FilterRegistrationBean<>(filter);
        }
    }

    private Response patch(String upload, long offset, byte[] body) {
        return http.send(http.request(CHENGDU_COURT, upload).method("PATCH", HttpRequest.BodyPublishers.ofByteArray(body)),
                "Tus-Resumable", "1.0.0", "Upload-Offset", Long.toString(offset), "Content-Type",
                "application/offset+octet-stream");
    }

    /** The offset once the service has noticed the broken connection and stopped writing. */
    private long awaitStableOffset(String upload) throws InterruptedException {
        long previous = -1;
        for (int i = 0; i < 50; i++) {
            Response head = http.send(http.request(CHENGDU_COURT, upload)
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()), "Tus-Resumable", "1.0.0");
            assertThat(head.status()).isEqualTo(200);
            long offset = Long.parseLong(head.header("Upload-Offset"));
            if (offset == previous) {
                return offset;
            }
            previous = offset;
            Thread.sleep(200);
        }
        return previous;
    }

    private JsonNode lastCustody(String id) {
        JsonNode items = http.get(CQ_COURT, "/" + id + "/custody?limit=100").json().path("items");
        return items.get(items.size() - 1);
    }

    @Test
    void custodyPagesByCursorAndBadRequestsNameEveryProblem() {
        String id = openPackage();
        for (String name : List.of("a.txt", "b.txt", "c.txt")) {
            assertThat(http.put(CHENGDU_COURT, "/" + id + "/items/" + name, name.getBytes()).status()).isEqualTo(201);
        }
        List<String> all = http.get(CHENGDU_COURT, "/" + id + "/custody").json().path("items")
                .findValuesAsString("eventId");
        List<String> paged = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = http.get(CHENGDU_COURT, "/" + id + "/custody?limit=1"
                    + (cursor == null ? "" : "&cursor=" + cursor)).json();
            paged.addAll(page.path("items").findValuesAsString("eventId"));
            cursor = page.path("nextCursor").isNull() ? null : page.path("nextCursor").asString();
        } while (cursor != null && paged.size() <= all.size());
        assertThat(all).hasSize(4);
        assertThat(paged).containsExactlyElementsOf(all);

        Response unknown = http.get(CHENGDU_COURT, "/" + id + "/custody?after=1&limit=1&order=desc");
        assertThat(unknown.status()).as(unknown.body()).isEqualTo(400);
        assertThat(unknown.json().path("errors").findValuesAsString("field")).containsExactly("after", "order");
        assertThat(http.get(CHENGDU_COURT, "/" + id + "/custody?cursor=30").status()).isEqualTo(400);

        long before = packageCount();
        Response bad = http.postJson(CHENGDU_COURT, "", "{\"title\": 7, \"toAgency\": \"CQ\", \"caseTransferId\": "
                + "\"x\", \"priority\": \"high\"}");
        assertThat(bad.status()).as(bad.body()).isEqualTo(400);
        assertThat(bad.json().path("errors").findValuesAsString("field"))
                .containsExactlyInAnyOrder("title", "toAgency", "caseTransferId", "priority");
        assertThat(packageCount()).isEqualTo(before);
    }

    @Test
    void aRequestWithoutAPrincipalSignedByTheGatewayIs401AndCreatesNothing() {
        long before = packageCount();
        String body = createJson("t", CQ_COURT.id(), null);
        Instant now = Instant.now();
        Map<String, String> tokens = new LinkedHashMap<>();
        tokens.put("made up", "v1|" + CHENGDU_COURT.id() + "|AGENCY|SC|COURT|" + now.getEpochSecond() + "|AAAA");
        String path = "/api/v1/evidence-packages";
        tokens.put("signed by another key", PrincipalTokens.sign(new PrincipalTokens.Claims(PrincipalTokens.GATEWAY,
                "evidence-exchange-service", "POST", path, UUID.randomUUID().toString(), now,
                now.plus(PrincipalTokens.LIFETIME), CHENGDU_COURT), Ed25519Keys.generate().getPrivate()));
        tokens.put("expired", PrincipalTokens.sign(new PrincipalTokens.Claims(PrincipalTokens.GATEWAY,
                "evidence-exchange-service", "POST", path, UUID.randomUUID().toString(), now.minus(Duration.ofHours(1)),
                now.minus(Duration.ofMinutes(59)), CHENGDU_COURT), TestInfrastructure.GATEWAY_KEYS.getPrivate()));
        tokens.put("for another service", PrincipalTokens.sign(new PrincipalTokens.Claims(PrincipalTokens.GATEWAY,
                "case-transfer-service", "POST", path, UUID.randomUUID().toString(), now,
                now.plus(PrincipalTokens.LIFETIME), CHENGDU_COURT), TestInfrastructure.GATEWAY_KEYS.getPrivate()));

        Response none = http.send(unsigned(body), "Content-Type", "application/json");
        assertThat(none.status()).as(none.body()).isEqualTo(401);
        assertThat(none.contentType()).startsWith("application/problem+json");
        tokens.forEach((what, token) -> {
            Response refused = http.send(unsigned(body), "Content-Type", "application/json",
                    "X-Chuanyu-Principal", token);
            assertThat(refused.status()).as(what + ": " + refused.body()).isEqualTo(401);
            assertThat(refused.contentType()).as(what).startsWith("application/problem+json");
            assertThat(refused.json().path("status").asInt()).as(what).isEqualTo(401);
        });
        // The same request with the gateway's signature goes through: the refusals were about the principal.
        assertThat(http.postJson(CHENGDU_COURT, "", body).status()).isEqualTo(201);
        assertThat(packageCount()).isEqualTo(before + 1);
    }

    /** A create request as it would come straight to the service, not through the gateway. */
    private HttpRequest.Builder unsigned(String body) {
        return HttpRequest.newBuilder(URI.create(http.url(""))).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private String openPackage() {
        Response created = http.postJson(CHENGDU_COURT, "", createJson("证据", CQ_COURT.id(), null));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().path("id").asString();
    }

    private long packageCount() {
        return jdbc.sql("select count(*) from evidence_package").query(Long.class).single();
    }

    private long storedObjects() throws IOException {
        try (var walk = Files.walk(DIR.resolve("store/objects"))) {
            return walk.filter(Files::isRegularFile).count();
        }
    }

    private static void flipOneByte(Path file, long position) throws IOException {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(position);
            int b = raf.read();
            raf.seek(position);
            raf.write(b ^ 0xff);
        }
    }

    private static InputStream breakingAfter(byte[] content, int limit) {
        return new InputStream() {
            int position;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (position >= limit) {
                    throw new IOException("client killed");
                }
                int n = Math.min(len, limit - position);
                System.arraycopy(content, position, b, off, n);
                position += n;
                return n;
            }
        };
    }

    /** Deterministic, incompressible-enough bytes of any length without holding them. */
    static final class PatternStream extends InputStream {
        private final long size;
        private final Random random = new Random(42);
        private final byte[] block = new byte[64 * 1024];
        private long position;
        private int blockPos = block.length;

        PatternStream(long size) {
            this.size = size;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position >= size) {
                return -1;
            }
            if (blockPos == block.length) {
                random.nextBytes(block);
                blockPos = 0;
            }
            int n = (int) Math.min(Math.min(len, block.length - blockPos), size - position);
            System.arraycopy(block, blockPos, b, off, n);
            blockPos += n;
            position += n;
            return n;
        }
    }

    private static long usedHeap() {
        return java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static String b64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("evidence-it-");
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
