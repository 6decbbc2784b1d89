package cn.chuanyu.audit;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import cn.chuanyu.contracts.AgencyKind;
import cn.chuanyu.contracts.EventEnvelope;
import cn.chuanyu.contracts.EventTypes;
import cn.chuanyu.contracts.Messaging;
import cn.chuanyu.contracts.Region;
import cn.chuanyu.contracts.Role;
import cn.chuanyu.kit.identity.Caller;
import cn.chuanyu.kit.json.Json;
import cn.chuanyu.kit.test.ApiDocsRules;
import cn.chuanyu.kit.test.TestHttp;
import cn.chuanyu.kit.test.TestInfrastructure;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The audit trail as auditors and agencies see it, fed through the real broker. The only audit test class whose
 * listener runs: the queue has a single active consumer, so one listening context per vhost.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.rabbitmq.listener.simple.retry.max-retries=1",
            "spring.rabbitmq.listener.simple.retry.initial-interval=100ms"})
class AuditTrailIT {

    static final String SC_COURT = "sc-chengdu-intermediate-court";
    static final String CQ_COURT = "cq-first-intermediate-court";
    static final String CQ_POLICE = "cq-yubei-public-security";

    private static final Caller AUDITOR = new Caller("supervisor-auditor", Role.AUDITOR, null, null);
    private static final Caller OPERATOR = new Caller("ops-operator", Role.OPERATOR, null, null);
    private static final Caller AGENCY = new Caller(SC_COURT, Role.AGENCY, Region.SC, AgencyKind.COURT);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        AuditTestSupport.register(registry, "audit");
    }

    @LocalServerPort
    int port;

    @Autowired
    RabbitTemplate rabbit;

    @Autowired
    JdbcClient jdbc;

    private String exchangeId;

    @BeforeEach
    void newExchange() {
        exchangeId = UUID.randomUUID().toString();
    }

    /** The document partner integrators read: every operation summarized, no internal principal, no phantom path. */
    @Test
    void theOpenApiDocumentShowsTheApiNotTheInternals() {
        TestHttp.Response docs = TestHttp.get("http://localhost:" + port + "/v3/api-docs");
        assertThat(docs.status()).isEqualTo(200);
        JsonNode document = docs.json();
        ApiDocsRules.assertFollowsTheRules("audit-service", document);
        assertThat(document.path("paths").propertyNames()).contains("/api/v1/audit/entries",
                "/api/v1/audit/entries/{seq}", "/api/v1/audit/proofs/inclusion", "/api/v1/audit/tree-head",
                "/api/v1/ops/dead-letters", "/api/v1/ops/flows", "/api/v1/nodes", "/api/v1/ops/links",
                "/api/v1/ops/links/{peer}/pause", "/api/v1/ops/links/{peer}/resume");
        JsonNode search = document.path("paths").path("/api/v1/audit/entries").path("get");
        assertThat(search.path("parameters").findValuesAsString("name")).contains("exchangeId", "limit", "cursor")
                .doesNotContain("caller", "Accept");
        assertThat(search.path("responses").path("200").path("content").propertyNames())
                .contains("application/json", "text/csv", "application/x-ndjson");
    }

    /** One node holding both regions: one entry, region null, both regions served, no link to watch. */
    @Test
    void oneNodeListsItselfWithBothRegionsAndNoLinks() {
        TestHttp.Response nodes = get("/api/v1/nodes", AGENCY);
        assertThat(nodes.status()).as(nodes.body()).isEqualTo(200);
        assertThat(nodes.json().size()).isEqualTo(1);
        JsonNode self = nodes.json().get(0);
        assertThat(self.path("region").isNull()).isTrue();
        assertThat(self.path("regions").valueStream().map(JsonNode::asString)).containsExactly("SC", "CQ");
        assertThat(self.path("self").asBoolean()).isTrue();
        assertThat(self.path("verifierKey").asString()).startsWith(self.path("name").asString() + "+");
        assertThat(self.path("link").isNull()).isTrue();

        TestHttp.Response links = get("/api/v1/ops/links", OPERATOR);
        assertThat(links.status()).as(links.body()).isEqualTo(200);
        assertThat(links.json().size()).isZero();
        assertThat(get("/api/v1/ops/links", AGENCY).status()).isEqualTo(403);
        TestHttp.Response noPeer = TestHttp.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                url("/api/v1/ops/links/CQ/pause"))).POST(java.net.http.HttpRequest.BodyPublishers.noBody()),
                "X-Chuanyu-Principal", TestInfrastructure.token(OPERATOR));
        assertThat(noPeer.status()).as(noPeer.body()).isEqualTo(404);
        assertThat(noPeer.contentType()).startsWith("application/problem+json");
    }

    @Test
    void anEventDeliveredTwiceIsRecordedOnce() {
        EventEnvelope submitted = event("case-transfer.submitted");
        EventEnvelope marker = event("case-transfer.accepted");
        // One channel, so the broker keeps the order.
        rabbit.invoke(ops -> {
            publish(submitted);
            publish(submitted);
            publish(marker);
            return null;
        });

        // One consumer takes the queue in order, so once the later event is in, both copies were handled.
        await().atMost(Duration.ofSeconds(20)).until(() -> entries("").path("items").size() == 2);
        JsonNode items = entries("").path("items");
        assertThat(items.get(0).path("eventId").asString()).isEqualTo(submitted.id());
        assertThat(items.get(0).path("type").asString()).isEqualTo("case-transfer.submitted");
        assertThat(items.get(0).path("fromAgency").asString()).isEqualTo(SC_COURT);
        assertThat(items.get(0).path("toAgency").asString()).isEqualTo(CQ_COURT);
        assertThat(items.get(0).path("correlationId").asString()).isEqualTo("corr-12345678");
        assertThat(items.get(0).path("data").path("caseNumber").asString()).isEqualTo("(2026)川01刑初1号");
        assertThat(items.get(1).path("eventId").asString()).isEqualTo(marker.id());
        assertThat(items.get(1).path("seq").asLong()).isEqualTo(items.get(0).path("seq").asLong() + 1);
    }

    @Test
    void everyEntryIsALeafWhoseHashAnyoneCanRecomputeFromItsCanonicalBytes() {
        EventEnvelope submitted = event("case-transfer.submitted");
        publish(submitted);
        await().atMost(Duration.ofSeconds(20)).until(() -> entries("").path("items").size() == 1);
        JsonNode entry = entries("").path("items").get(0);

        assertThat(entry.path("leafIndex").asLong()).isEqualTo(entry.path("seq").asLong() - 1);
        byte[] canonical = Base64.getDecoder().decode(entry.path("canonical").asString());
        assertThat(HexFormat.of().formatHex(Rfc9162.leaf(canonical))).isEqualTo(entry.path("leafHash").asString());
        JsonNode hashed = JSON.readTree(new String(canonical, StandardCharsets.UTF_8));
        assertThat(hashed.path("seq").asLong()).isEqualTo(entry.path("seq").asLong());
        assertThat(hashed.path("eventId").asString()).isEqualTo(submitted.id());
        assertThat(hashed.path("data").path("caseNumber").asString()).isEqualTo("(2026)川01刑初1号");

        // The entry's inclusion proof leads to the root of a head signed by the served key.
        JsonNode proof = get("/api/v1/audit/proofs/inclusion?seq=" + entry.path("seq").asLong(), AUDITOR).json();
        JsonNode head = get("/api/v1/audit/tree-head?fresh=true", AUDITOR).json();
        long treeSize = proof.path("treeSize").asLong();
        assertThat(treeSize).isLessThanOrEqualTo(head.path("treeSize").asLong());
        JsonNode sameSize = get("/api/v1/audit/proofs/inclusion?seq=" + entry.path("seq").asLong() + "&treeSize="
                + head.path("treeSize").asLong(), AUDITOR).json();
        byte[] root = Rfc9162.rootFromInclusion(sameSize.path("leafIndex").asLong(), head.path("treeSize").asLong(),
                Rfc9162.leaf(canonical), AuditTestSupport.hashes(sameSize.path("auditPath")));
        assertThat(HexFormat.of().formatHex(root)).isEqualTo(head.path("rootHash").asString());
    }

    @Test
    void theCheckpointIsASignedNoteTheServedKeyVerifies() throws Exception {
        publish(event("case-transfer.submitted"));
        await().atMost(Duration.ofSeconds(20)).until(() -> entries("").path("items").size() == 1);

        TestHttp.Response checkpoint = get("/api/v1/audit/checkpoint?fresh=true", AGENCY);
        assertThat(checkpoint.status()).isEqualTo(200);
        assertThat(checkpoint.contentType()).startsWith("text/plain");
        String vkey = get("/api/v1/audit/public-key", AGENCY).body().trim();
        JsonNode head = get("/api/v1/audit/tree-head", AGENCY).json();

        // Verifier key: name+keyid+base64(0x01 || key), key id = SHA-256(name || 0x0A || 0x01 || key)[:4].
        String[] parts = vkey.split("\\+", 3);
        byte[] typedKey = Base64.getDecoder().decode(parts[2]);
        assertThat(typedKey).hasSize(33);
        assertThat(typedKey[0]).isEqualTo((byte) 1);
        byte[] keyId = Arrays.copyOf(Rfc9162.sha256((parts[0] + "\n").getBytes(StandardCharsets.UTF_8), typedKey),
                4);
        assertThat(parts[1]).isEqualTo(HexFormat.of().formatHex(keyId));

        String note = checkpoint.body();
        String[] lines = note.split("\n", -1);
        assertThat(lines[0]).isEqualTo(parts[0]);
        long size = Long.parseLong(lines[1]);
        assertThat(size).isGreaterThanOrEqualTo(1);
        assertThat(lines[3]).isEmpty();
        assertThat(lines[4]).startsWith("\u2014 " + parts[0] + " ");
        byte[] blob = Base64.getDecoder().decode(lines[4].substring(("\u2014 " + parts[0] + " ").length()));
        assertThat(Arrays.copyOf(blob, 4)).isEqualTo(keyId);
        String text = lines[0] + "\n" + lines[1] + "\n" + lines[2] + "\n";
        PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(concat(
                HexFormat.of().parseHex("302a300506032b6570032100"), Arrays.copyOfRange(typedKey, 1, 33))));
        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(key);
        verifier.update(text.getBytes(StandardCharsets.UTF_8));
        assertThat(verifier.verify(Arrays.copyOfRange(blob, 4, blob.length))).isTrue();

        assertThat(head.path("treeSize").asLong()).isGreaterThanOrEqualTo(size);
        assertThat(head.path("rootHash").asString()).matches("[0-9a-f]{64}");
        assertThat(head.path("timestamp").asString()).isNotBlank();
        assertThat(head.path("checkpoint").asString()).startsWith(parts[0] + "\n");
        // Several heads, one growing log: every later head is consistent with an earlier one.
        JsonNode proof = get("/api/v1/audit/proofs/consistency?from=" + size + "&to="
                + head.path("treeSize").asLong(), AUDITOR).json();
        assertThat(Rfc9162.consistent(size, head.path("treeSize").asLong(), Base64.getDecoder().decode(lines[2]),
                HexFormat.of().parseHex(head.path("rootHash").asString()),
                AuditTestSupport.hashes(proof.path("path")))).isTrue();
    }

    @Test
    void entriesPageInSequenceOrderWithACursor() {
        for (int i = 0; i < 3; i++) {
            publish(event("case-transfer.submitted"));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> entries("").path("items").size() == 3);

        JsonNode first = entries("&limit=2");
        assertThat(first.path("items").size()).isEqualTo(2);
        String cursor = first.path("nextCursor").asString();
        assertThat(cursor).isNotBlank();

        JsonNode second = entries("&limit=2&cursor=" + cursor);
        assertThat(second.path("items").size()).isEqualTo(1);
        assertThat(second.path("nextCursor").isNull()).isTrue();
        assertThat(second.path("items").get(0).path("seq").asLong())
                .isGreaterThan(first.path("items").get(1).path("seq").asLong());
    }

    @Test
    void searchFiltersByCaseNumberAgencyTypeTimeAndCorrelation() {
        String caseNumber = "(2026)渝01刑初" + UUID.randomUUID().toString().substring(0, 6) + "号";
        String correlation = "corr-" + UUID.randomUUID();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        publish(event("case-transfer.submitted", SC_COURT, CQ_COURT, caseNumber, "corr-other-1", now.minusSeconds(7200)));
        publish(event("case-transfer.accepted", CQ_COURT, SC_COURT, caseNumber, correlation, now.minusSeconds(3600)));
        publish(event("evidence.submitted", CQ_POLICE, CQ_COURT, caseNumber, "corr-other-2", now));
        await().atMost(Duration.ofSeconds(20)).until(() -> search("caseNumber=" + enc(caseNumber), AUDITOR).size() == 3);

        assertThat(types(search("caseNumber=" + enc(caseNumber) + "&agency=" + SC_COURT, AUDITOR)))
                .containsExactlyInAnyOrder("case-transfer.submitted", "case-transfer.accepted");
        assertThat(types(search("caseNumber=" + enc(caseNumber) + "&agency=" + CQ_POLICE, AUDITOR)))
                .containsExactly("evidence.submitted");
        assertThat(types(search("caseNumber=" + enc(caseNumber) + "&type=case-transfer.accepted", AUDITOR)))
                .containsExactly("case-transfer.accepted");
        assertThat(types(search("correlationId=" + correlation, AUDITOR))).containsExactly("case-transfer.accepted");
        assertThat(types(search("caseNumber=" + enc(caseNumber) + "&from=" + now.minusSeconds(5400) + "&to="
                + now.minusSeconds(1800), AUDITOR))).containsExactly("case-transfer.accepted");
        assertThat(types(search("caseNumber=" + enc(caseNumber) + "&from="
                + enc(now.minusSeconds(5400).atOffset(java.time.ZoneOffset.ofHours(8)).toString()), AUDITOR)))
                .containsExactlyInAnyOrder("case-transfer.accepted", "evidence.submitted");
        assertThat(search("exchangeId=" + exchangeId + "&caseNumber=" + enc(caseNumber), OPERATOR)).hasSize(3);

        TestHttp.Response badTime = get("/api/v1/audit/entries?from=yesterday", AUDITOR);
        assertThat(badTime.status()).isEqualTo(400);
        assertThat(badTime.json().path("errors").get(0).path("field").asString()).isEqualTo("from");
    }

    @Test
    void anAgencySeesOnlyTheEntriesItSentOrReceived() {
        String caseNumber = "(2026)川01民初" + UUID.randomUUID().toString().substring(0, 6) + "号";
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        publish(event("case-transfer.submitted", SC_COURT, CQ_COURT, caseNumber, "corr-a-00001", now));
        publish(event("case-transfer.accepted", CQ_COURT, SC_COURT, caseNumber, "corr-a-00002", now));
        publish(event("evidence.submitted", CQ_POLICE, CQ_COURT, caseNumber, "corr-a-00003", now));
        await().atMost(Duration.ofSeconds(20)).until(() -> search("caseNumber=" + enc(caseNumber), AUDITOR).size() == 3);

        List<JsonNode> mine = search("caseNumber=" + enc(caseNumber), AGENCY);
        assertThat(types(mine)).containsExactlyInAnyOrder("case-transfer.submitted", "case-transfer.accepted");
        // Even asking for another agency's entries by name gives nothing that is not its own.
        assertThat(search("caseNumber=" + enc(caseNumber) + "&agency=" + CQ_POLICE, AGENCY)).isEmpty();

        long foreign = search("caseNumber=" + enc(caseNumber) + "&type=evidence.submitted", AUDITOR).get(0)
                .path("seq").asLong();
        assertThat(get("/api/v1/audit/entries/" + foreign, AGENCY).status()).isEqualTo(404);
        assertThat(get("/api/v1/audit/proofs/inclusion?seq=" + foreign, AGENCY).status()).isEqualTo(404);
        long own = mine.get(0).path("seq").asLong();
        assertThat(get("/api/v1/audit/entries/" + own, AGENCY).json().path("seq").asLong()).isEqualTo(own);
        assertThat(get("/api/v1/audit/proofs/inclusion?seq=" + own, AGENCY).status()).isEqualTo(200);

        // Verification and completeness are for supervisors only.
        assertThat(get("/api/v1/audit/verify", AGENCY).status()).isEqualTo(403);
        assertThat(get("/api/v1/audit/completeness", AGENCY).status()).isEqualTo(403);
        assertThat(get("/api/v1/audit/completeness", OPERATOR).status()).isEqualTo(200);
    }

    @Test
    void entriesExportAsCsvAndNdjsonStreams() {
        String caseNumber = "(2026)川01执" + UUID.randomUUID().toString().substring(0, 6) + "号";
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        for (int i = 0; i < 3; i++) {
            EventEnvelope e = new EventEnvelope(UUID.randomUUID().toString(), "case-transfer-service",
                    "case-transfer.submitted", exchangeId, now, "corr-x-0000" + i, SC_COURT, CQ_COURT,
                    Map.of("caseNumber", caseNumber, "title", "a, \"quoted\" title\nwith a line break " + i));
            publish(e);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> search("caseNumber=" + enc(caseNumber), AUDITOR).size() == 3);

        TestHttp.Response csv = TestHttp.get(url("/api/v1/audit/entries?caseNumber=" + enc(caseNumber)),
                "Accept", "text/csv", "X-Chuanyu-Principal", TestInfrastructure.token(AUDITOR));
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.contentType()).startsWith("text/csv");
        assertThat(csv.body()).startsWith("seq,leafIndex,eventId,type,source,exchangeId,fromAgency,toAgency,");
        List<List<String>> rows = parseCsv(csv.body());
        assertThat(rows).hasSize(4);
        assertThat(rows.get(1).get(3)).isEqualTo("case-transfer.submitted");
        // The three were published on their own, so they may be recorded in any order: each title round-trips.
        assertThat(rows.subList(1, 4)).extracting(row -> JSON.readTree(row.get(14)).path("title").asString())
                .containsExactlyInAnyOrder("a, \"quoted\" title\nwith a line break 0",
                        "a, \"quoted\" title\nwith a line break 1", "a, \"quoted\" title\nwith a line break 2");

        TestHttp.Response ndjson = TestHttp.get(url("/api/v1/audit/entries?caseNumber=" + enc(caseNumber)),
                "Accept", "application/x-ndjson", "X-Chuanyu-Principal", TestInfrastructure.token(AGENCY));
        assertThat(ndjson.status()).isEqualTo(200);
        assertThat(ndjson.contentType()).startsWith("application/x-ndjson");
        List<String> lines = ndjson.body().lines().toList();
        assertThat(lines).hasSize(3);
        long previous = 0;
        for (String line : lines) {
            JsonNode entry = JSON.readTree(line);
            assertThat(entry.path("seq").asLong()).isGreaterThan(previous);
            assertThat(entry.path("canonical").asString()).isNotBlank();
            previous = entry.path("seq").asLong();
        }

        // An agency's export holds only its own entries.
        TestHttp.Response foreign = TestHttp.get(url("/api/v1/audit/entries?caseNumber=" + enc(caseNumber)),
                "Accept", "application/x-ndjson", "X-Chuanyu-Principal", TestInfrastructure.token(
                        new Caller(CQ_POLICE, Role.AGENCY, Region.CQ, AgencyKind.PUBLIC_SECURITY)));
        assertThat(foreign.body()).isEmpty();
    }

    @Test
    void completenessNamesTheNumbersAProducerSentThatNeverArrived() {
        String producer = "probe-" + UUID.randomUUID().toString().substring(0, 8);
        publish(event("case-transfer.submitted"), producer, 1);
        publish(event("case-transfer.submitted"), producer, 2);
        publish(event("case-transfer.submitted"), producer, 5);
        publish(event("case-transfer.submitted"), producer, 6);
        await().atMost(Duration.ofSeconds(20)).until(() -> entries("").path("items").size() == 4);

        JsonNode report = producer(producer);
        assertThat(report.path("lastSeq").asLong()).isEqualTo(6);
        assertThat(report.path("missingCount").asLong()).isEqualTo(2);
        assertThat(report.path("missing").get(0).path("from").asLong()).isEqualTo(3);
        assertThat(report.path("missing").get(0).path("to").asLong()).isEqualTo(4);
        assertThat(entries("").path("items").valueStream().map(e -> e.path("producer").asString()))
                .containsOnly(producer);
        assertThat(entries("").path("items").valueStream().map(e -> e.path("producerSeq").asLong()))
                .containsExactlyInAnyOrder(1L, 2L, 5L, 6L);

        publish(event("case-transfer.submitted"), producer, 3);
        publish(event("case-transfer.submitted"), producer, 4);
        await().atMost(Duration.ofSeconds(20)).until(() -> producer(producer).path("missingCount").asLong() == 0);
        assertThat(producer(producer).path("missing").size()).isZero();
    }

    @Test
    void theExchangeHistoryPutsEachProducersEventsInCommitOrder() {
        String producer = "probe-" + UUID.randomUUID().toString().substring(0, 8);
        // #2 arrives before #1, as a re-sent event can after a broker restart.
        publish(event("case-transfer.accepted"), producer, 2);
        publish(event("case-transfer.submitted"), producer, 1);
        await().atMost(Duration.ofSeconds(20)).until(() -> entries("").path("items").size() == 2);
        assertThat(entries("").path("items").valueStream().map(e -> e.path("type").asString()))
                .containsExactly("case-transfer.accepted", "case-transfer.submitted");

        TestHttp.Response history = get("/api/v1/audit/exchanges/" + exchangeId, AUDITOR);

        assertThat(history.status()).as(history.body()).isEqualTo(200);
        assertThat(history.json().path("entries").valueStream().map(e -> e.path("type").asString()))
                .containsExactly("case-transfer.submitted", "case-transfer.accepted");
        assertThat(history.json().path("truncated").asBoolean()).isFalse();
        assertThat(get("/api/v1/audit/exchanges/" + exchangeId,
                new Caller(CQ_POLICE, Role.AGENCY, Region.CQ, AgencyKind.PUBLIC_SECURITY)).status()).isEqualTo(404);
    }

    @Test
    void proofParametersAreCheckedAndNamed() {
        publish(event("case-transfer.submitted"));
        await().atMost(Duration.ofSeconds(20)).until(() -> entries("").path("items").size() == 1);
        long seq = entries("").path("items").get(0).path("seq").asLong();

        assertParameter("/api/v1/audit/proofs/inclusion", "seq");
        assertParameter("/api/v1/audit/proofs/inclusion?seq=abc", "seq");
        assertParameter("/api/v1/audit/proofs/inclusion?seq=0", "seq");
        assertParameter("/api/v1/audit/proofs/inclusion?seq=" + seq + "&treeSize=" + (seq - 1), "treeSize");
        assertParameter("/api/v1/audit/proofs/inclusion?seq=" + seq + "&treeSize=999999999", "treeSize");
        assertParameter("/api/v1/audit/proofs/consistency?to=3", "from");
        assertParameter("/api/v1/audit/proofs/consistency?from=0", "from");
        assertParameter("/api/v1/audit/proofs/consistency?from=3&to=2", "to");
        assertParameter("/api/v1/audit/proofs/consistency?from=1&to=999999999", "to");
        assertThat(get("/api/v1/audit/proofs/inclusion?seq=999999999", AUDITOR).status()).isEqualTo(404);
        assertThat(get("/api/v1/audit/proofs/consistency?from=" + seq + "&to=" + seq, AUDITOR).json()
                .path("path").size()).isZero();
    }

    @Test
    void aRequestThatBypassedTheGatewayIsRefused() {
        TestHttp.Response none = TestHttp.get(url("/api/v1/audit/entries"));
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.contentType()).startsWith("application/problem+json");
        assertThat(none.json().path("detail").asString()).contains("gateway");

        TestHttp.Response forged = TestHttp.get(url("/api/v1/audit/checkpoint"), "X-Chuanyu-Principal",
                "Y3kxfGV2aWx8QVVESVRPUnx8.c2ln");
        assertThat(forged.status()).isEqualTo(401);
    }

    @Test
    void badParametersNameTheParameter() {
        TestHttp.Response cursor = get(entriesPath("&cursor=abc"), AUDITOR);
        assertThat(cursor.status()).isEqualTo(400);
        assertThat(cursor.json().path("errors").get(0).path("field").asString()).isEqualTo("cursor");

        TestHttp.Response limit = get(entriesPath("&limit=100000"), AUDITOR);
        assertThat(limit.status()).isEqualTo(400);
        assertThat(limit.json().path("errors").get(0).path("field").asString()).isEqualTo("limit");

        // The cursor is opaque: a bare sequence number is not one.
        TestHttp.Response seq = get(entriesPath("&cursor=30"), AUDITOR);
        assertThat(seq.status()).isEqualTo(400);
        assertThat(seq.json().path("errors").get(0).path("field").asString()).isEqualTo("cursor");

        TestHttp.Response unknown = get(entriesPath("&seq=1&offset=2"), AUDITOR);
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().path("errors").findValuesAsString("field")).containsExactly("seq", "offset");
        assertThat(get("/api/v1/audit/tree-head?fresh=true&pretty=1", AUDITOR).json().path("errors")
                .findValuesAsString("field")).containsExactly("pretty");
    }

    @Test
    void entriesAndTheTreeCannotBeRewrittenOrRemoved() {
        publish(event("case-transfer.submitted"));
        await().atMost(Duration.ofSeconds(20)).until(() -> entries("").path("items").size() == 1);
        long seq = entries("").path("items").get(0).path("seq").asLong();
        get("/api/v1/audit/tree-head?fresh=true", AUDITOR);

        assertThatThrownBy(() -> jdbc.sql("update audit_entry set type = 'forged' where exchange_id = :id")
                .param("id", exchangeId).update())
                .isInstanceOf(DataAccessException.class)
                .hasMessageContaining("append-only");
        assertThatThrownBy(() -> jdbc.sql("delete from audit_entry where exchange_id = :id")
                .param("id", exchangeId).update())
                .isInstanceOf(DataAccessException.class);
        for (String statement : List.of("update audit_leaf set seq = seq where seq = " + seq,
                "delete from audit_leaf where seq = " + seq,
                "update merkle_node set hash = hash where level = 0 and idx = " + (seq - 1),
                "delete from merkle_node where level = 0 and idx = " + (seq - 1),
                "update tree_head set checkpoint = 'forged'", "delete from tree_head", "truncate merkle_node")) {
            assertThatThrownBy(() -> jdbc.sql(statement).update()).as(statement)
                    .isInstanceOf(DataAccessException.class)
                    .hasMessageContaining("append-only");
        }
        // A leaf must name a stored entry (checked once per insert statement since V6 dropped the foreign key).
        assertThatThrownBy(() -> jdbc.sql("insert into audit_leaf (leaf_index, seq) values (1000000, 1000000)")
                .update()).isInstanceOf(DataAccessException.class)
                .hasMessageContaining("must name a stored audit entry");
        assertThat(entries("").path("items").get(0).path("type").asString()).isEqualTo("case-transfer.submitted");
        JsonNode report = get("/api/v1/audit/verify", AUDITOR).json();
        assertThat(report.path("ok").asBoolean()).as(report.toString()).isTrue();
    }

    @Test
    void aMessageThatIsNotAnEventEndsInTheDeadLetterQueue() {
        String garbage = "not json " + UUID.randomUUID();
        MessageProperties properties = new MessageProperties();
        properties.setContentType("application/json");
        rabbit.send(Messaging.EVENTS_EXCHANGE, "case-transfer.submitted",
                new Message(garbage.getBytes(StandardCharsets.UTF_8), properties));

        // The dead-letter keeper takes it off the .dlq and keeps it, with the reason, for operators.
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/api/v1/ops/dead-letters?limit=500", OPERATOR).json()
                .path("items").valueStream().anyMatch(d -> d.path("payload").asString().equals(garbage)
                        && d.path("reason").asString().contains("not an event envelope")));
    }

    /** An evidence package's recipient cannot open it before it is sealed, so the trail must not describe it. */
    @Test
    void theRecipientSeesAnEvidencePackagesContentsOnlyOnceItIsSealed() {
        Caller sender = AGENCY;
        Caller recipient = new Caller(CQ_POLICE, Role.AGENCY, Region.CQ, AgencyKind.PUBLIC_SECURITY);
        String title = "密封前不可见-" + exchangeId;
        EventEnvelope created = evidence(EventTypes.EVIDENCE_PACKAGE_CREATED,
                Map.of("title", title, "createdBy", SC_COURT));
        EventEnvelope added = evidence(EventTypes.EVIDENCE_ITEM_ADDED,
                Map.of("name", "ledger-" + exchangeId + ".pdf", "size", 1234, "sha256", "ab".repeat(32)));
        rabbit.invoke(ops -> {
            publish(created);
            publish(added);
            return null;
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> entries("").path("items").size() == 2);
        long createdSeq = entries("").path("items").get(0).path("seq").asLong();

        assertThat(search("exchangeId=" + exchangeId, sender)).hasSize(2);
        assertThat(search("exchangeId=" + exchangeId, OPERATOR)).hasSize(2);
        assertThat(search("exchangeId=" + exchangeId, recipient)).isEmpty();
        assertThat(search("agency=" + CQ_POLICE + "&type=" + EventTypes.EVIDENCE_PACKAGE_CREATED, recipient).stream()
                .map(e -> e.path("exchangeId").asString())).doesNotContain(exchangeId);
        TestHttp.Response csv = TestHttp.get(url("/api/v1/audit/entries?exchangeId=" + exchangeId), "Accept",
                "text/csv", "X-Chuanyu-Principal", TestInfrastructure.token(recipient));
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.body()).doesNotContain(title).doesNotContain(exchangeId);
        assertThat(get("/api/v1/audit/entries/" + createdSeq, recipient).status()).isEqualTo(404);
        assertThat(get("/api/v1/audit/exchanges/" + exchangeId, recipient).status()).isEqualTo(404);
        assertThat(get("/api/v1/audit/proofs/inclusion?seq=" + createdSeq, recipient).status()).isEqualTo(404);
        assertThat(get("/api/v1/audit/entries/" + createdSeq, sender).status()).isEqualTo(200);

        publish(evidence(EventTypes.EVIDENCE_SEALED, Map.of("sealedBy", SC_COURT, "itemCount", 1)));
        await().atMost(Duration.ofSeconds(20)).until(() -> entries("").path("items").size() == 3);

        assertThat(types(search("exchangeId=" + exchangeId, recipient))).containsExactly(
                EventTypes.EVIDENCE_PACKAGE_CREATED, EventTypes.EVIDENCE_ITEM_ADDED, EventTypes.EVIDENCE_SEALED);
        assertThat(get("/api/v1/audit/entries/" + createdSeq, recipient).json().path("data").path("title")
                .asString()).isEqualTo(title);
        assertThat(get("/api/v1/audit/exchanges/" + exchangeId, recipient).status()).isEqualTo(200);
        assertThat(get("/api/v1/audit/proofs/inclusion?seq=" + createdSeq, recipient).status()).isEqualTo(200);
    }

    private EventEnvelope evidence(String type, Map<String, Object> data) {
        return new EventEnvelope(UUID.randomUUID().toString(), "evidence-exchange-service", type, exchangeId,
                Instant.now().truncatedTo(ChronoUnit.MICROS), "corr-evidence", SC_COURT, CQ_POLICE, data);
    }

    private void assertParameter(String path, String parameter) {
        TestHttp.Response response = get(path, AUDITOR);
        assertThat(response.status()).as(path).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().path("errors").get(0).path("field").asString()).as(path).isEqualTo(parameter);
    }

    private JsonNode producer(String producer) {
        JsonNode report = get("/api/v1/audit/completeness", AUDITOR).json();
        for (JsonNode p : report.path("producers")) {
            if (p.path("producer").asString().equals(producer)) {
                return p;
            }
        }
        throw new AssertionError("producer " + producer + " not in " + report);
    }

    private EventEnvelope event(String type) {
        return new EventEnvelope(UUID.randomUUID().toString(), "case-transfer-service", type, exchangeId,
                Instant.now().truncatedTo(ChronoUnit.MICROS), "corr-12345678", SC_COURT, CQ_COURT,
                Map.of("caseNumber", "(2026)川01刑初1号"));
    }

    private EventEnvelope event(String type, String from, String to, String caseNumber, String correlation,
            Instant time) {
        return new EventEnvelope(UUID.randomUUID().toString(), "case-transfer-service", type, exchangeId, time,
                correlation, from, to, Map.of("caseNumber", caseNumber));
    }

    private void publish(EventEnvelope event) {
        publish(event, null, 0);
    }

    private void publish(EventEnvelope event, String producer, long producerSeq) {
        MessageProperties properties = new MessageProperties();
        properties.setContentType("application/json");
        properties.setMessageId(event.id());
        if (producer != null) {
            properties.setHeader(Messaging.HEADER_PRODUCER, producer);
            properties.setHeader(Messaging.HEADER_PRODUCER_SEQ, producerSeq);
        }
        rabbit.send(Messaging.EVENTS_EXCHANGE, event.type(),
                new Message(Json.write(event).getBytes(StandardCharsets.UTF_8), properties));
    }

    private List<JsonNode> search(String query, Caller caller) {
        TestHttp.Response response = get("/api/v1/audit/entries?" + query, caller);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json().path("items").valueStream().toList();
    }

    private static List<String> types(List<JsonNode> entries) {
        return entries.stream().map(e -> e.path("type").asString()).toList();
    }

    private JsonNode entries(String query) {
        TestHttp.Response response = get(entriesPath(query), AUDITOR);
        assertThat(response.status()).isEqualTo(200);
        return response.json();
    }

    private String entriesPath(String query) {
        return "/api/v1/audit/entries?exchangeId=" + exchangeId + query;
    }

    private TestHttp.Response get(String path, Caller caller) {
        return TestHttp.get(url(path), "X-Chuanyu-Principal", TestInfrastructure.token(caller));
    }

    private String url(String path) {
        return "http://localhost:" + port + path;
    }

    private static String enc(String value) {
        return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** RFC 4180 reader for the test: quoted fields may hold commas, quotes and line breaks. */
    static List<List<String>> parseCsv(String text) {
        List<List<String>> rows = new java.util.ArrayList<>();
        List<String> row = new java.util.ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                }
                else if (c == '"') {
                    quoted = false;
                }
                else {
                    field.append(c);
                }
            }
            else if (c == '"') {
                quoted = true;
            }
            else if (c == ',') {
                row.add(field.toString());
                field.setLength(0);
            }
            else if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                row.add(field.toString());
                field.setLength(0);
                rows.add(row);
                row = new java.util.ArrayList<>();
                i++;
            }
            else {
                field.append(c);
            }
        }
        return rows;
    }
}
