package cn.chuanyu.evidence.relay;

import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import cn.chuanyu.contracts.Role;
import cn.chuanyu.evidence.EvidenceHttp;
import cn.chuanyu.evidence.EvidenceHttp.Response;
import cn.chuanyu.evidence.storage.FileSystemEvidenceStore;
import cn.chuanyu.kit.identity.Caller;
import cn.chuanyu.kit.node.DeliveryEvidenceNotes;
import cn.chuanyu.kit.test.ApiDocsRules;
import cn.chuanyu.kit.test.TestInfrastructure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static cn.chuanyu.evidence.EvidenceHttp.CHENGDU_COURT;
import static cn.chuanyu.evidence.EvidenceHttp.CQ_COURT;
import static cn.chuanyu.evidence.EvidenceHttp.hex;
import static cn.chuanyu.evidence.relay.TwoRegionEvidenceIT.SC_POLICE;
import static cn.chuanyu.evidence.relay.TwoRegionEvidenceIT.awaitTrue;
import static cn.chuanyu.evidence.relay.TwoRegionEvidenceIT.evidences;
import static cn.chuanyu.evidence.relay.TwoRegionEvidenceIT.random;
import static cn.chuanyu.evidence.relay.TwoRegionEvidenceIT.sealedPackage;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15 gaps of packages across the border, on the two nodes of {@link TwoRegionEvidenceIT} started with short
 * deadlines: RELAY_FAILED and NON_DELIVERY (once each, signed, crossing to the peer), the operators' retry of a fetch
 * given up on, and auditors reading a package's evidences.
 */
class RelayDeadlinesAndOpsIT {

    static final Caller OPERATOR = new Caller("ops-operator", Role.OPERATOR, null, null);
    static final Caller AUDITOR = new Caller("supervisor-auditor", Role.AUDITOR, null, null);

    @BeforeAll
    static void start() throws Exception {
        TwoRegionEvidenceIT.startNodes(Map.of(
                "chuanyu.link.relay-deadline", "PT2S",
                "chuanyu.link.delivery-deadline", "PT2S",
                "chuanyu.link.deadline-scan", "200ms",
                "chuanyu.link.max-mismatches", "2"));
    }

    @AfterAll
    static void stop() throws Exception {
        TwoRegionEvidenceIT.stop();
    }

    static TwoRegionEvidenceIT.Node sc() {
        return TwoRegionEvidenceIT.sc;
    }

    static TwoRegionEvidenceIT.Node cq() {
        return TwoRegionEvidenceIT.cq;
    }

    @Test
    void aPackageThePeerNeverAcceptsGetsOneRelayFailedSignedByTheSendersNode() throws Exception {
        UUID id;
        TwoRegionEvidenceIT.shovel.paused = true;
        try {
            id = sealedPackage("never accepted", CQ_COURT, "a.bin", random(5000));
            UUID pkg = id;
            awaitTrue("RELAY_FAILED on the sender's node", Duration.ofSeconds(30),
                    () -> types(sc(), CHENGDU_COURT, pkg).contains("RELAY_FAILED"));
            Thread.sleep(1500); // several scans more: still one
            List<JsonNode> failed = ofType(sc(), CHENGDU_COURT, id, "RELAY_FAILED");
            assertThat(failed).hasSize(1);
            DeliveryEvidenceNotes.Statement statement = verify(failed.get(0), sc());
            assertThat(statement.exchangeId()).isEqualTo(id.toString());
            assertThat(statement.issuer()).isEqualTo("sc.test");
            assertThat(statement.contentDigest()).isEqualTo(TwoRegionEvidenceIT.digest(sc(), id));
            // An audit entry here that crosses to the recipient's node (after the seal, in the package's order).
            assertThat(sc().jdbc().sql("""
                    select count(*) from outbox_event where routing_key = 'evidence.evidence-issued'
                      and link_to = 'CQ' and payload::jsonb -> 'data' ->> 'type' = 'RELAY_FAILED'
                      and payload::jsonb ->> 'subject' = :id""").param("id", id.toString())
                    .query(Integer.class).single()).isEqualTo(1);
        }
        finally {
            TwoRegionEvidenceIT.shovel.paused = false;
        }
        UUID pkg = id;
        awaitTrue("the recipient's node verified and kept the RELAY_FAILED", Duration.ofSeconds(60),
                () -> cq().jdbc().sql("select count(*) from delivery_evidence where package_id = :id "
                        + "and type = 'RELAY_FAILED' and issuer = 'sc.test'").param("id", pkg)
                        .query(Integer.class).single() == 1);
    }

    @Test
    void aPackageItsRecipientNeverDownloadsGetsOneNonDeliverySignedByTheRecipientsNode() throws Exception {
        UUID id = sealedPackage("never downloaded", CQ_COURT, "b.bin", random(5000));
        awaitTrue("NON_DELIVERY on the recipient's node", Duration.ofSeconds(60),
                () -> cq().http().get(CQ_COURT, "/" + id).status() == 200
                        && types(cq(), CQ_COURT, id).contains("NON_DELIVERY"));
        Thread.sleep(1500);
        List<JsonNode> nonDelivery = ofType(cq(), CQ_COURT, id, "NON_DELIVERY");
        assertThat(nonDelivery).hasSize(1);
        DeliveryEvidenceNotes.Statement statement = verify(nonDelivery.get(0), cq());
        assertThat(statement.exchangeId()).isEqualTo(id.toString());
        assertThat(statement.issuer()).isEqualTo("cq.test");
        assertThat(types(cq(), CQ_COURT, id)).doesNotContain("RETRIEVED");
        awaitTrue("the sender's node verified and kept the NON_DELIVERY", Duration.ofSeconds(30),
                () -> types(sc(), CHENGDU_COURT, id).contains("NON_DELIVERY"));
        verify(ofType(sc(), CHENGDU_COURT, id, "NON_DELIVERY").get(0), cq());
    }

    @Test
    void anOperatorRetriesAFetchGivenUpOnAndThePackageArrives() throws Exception {
        byte[] content = random(300_000);
        FileSystemEvidenceStore scStore = sc().context().getBean(FileSystemEvidenceStore.class);
        Path object = scStore.pathOf(hex(content));
        UUID id;
        TwoRegionEvidenceIT.shovel.paused = true;
        try {
            id = sealedPackage("given up on", CQ_COURT, "c.bin", content);
            Files.setPosixFilePermissions(object, PosixFilePermissions.fromString("rw-r-----"));
            flip(object, content, 77);
        }
        finally {
            TwoRegionEvidenceIT.shovel.paused = false;
        }
        UUID pkg = id;
        awaitTrue("the recipient's node gives up on the item", Duration.ofSeconds(60),
                () -> "FAILED".equals(cq().jdbc().sql("select state from relay_item where package_id = :id")
                        .param("id", pkg).query(String.class).optional().orElse(null)));

        Response listed = ops(cq(), OPERATOR, "GET", "?state=FAILED");
        assertThat(listed.status()).as(listed.body()).isEqualTo(200);
        assertThat(listed.json().findValuesAsString("packageId")).contains(id.toString());
        assertThat(ops(cq(), OPERATOR, "GET", "?state=VERIFIED").status()).isEqualTo(400);
        assertThat(ops(cq(), CQ_COURT, "GET", "").status()).isEqualTo(403);

        // Not an operator: refused; an unknown package: 404.
        assertThat(ops(cq(), CQ_COURT, "POST", "/" + id + "/retry").status()).isEqualTo(403);
        assertThat(ops(cq(), AUDITOR, "POST", "/" + id + "/retry").status()).isEqualTo(403);
        assertThat(ops(cq(), OPERATOR, "POST", "/" + UUID.randomUUID() + "/retry").status()).isEqualTo(404);
        assertThat(cq().http().get(CQ_COURT, "/" + id).status()).isEqualTo(404);

        flip(object, content, 77); // repaired at the origin
        Response retried = ops(cq(), OPERATOR, "POST", "/" + id + "/retry");
        assertThat(retried.status()).as(retried.body()).isEqualTo(200);
        assertThat(retried.json().path("items").get(0).asString()).isEqualTo("c.bin");
        awaitTrue("the package arrives after the retry", Duration.ofSeconds(60),
                () -> cq().http().get(CQ_COURT, "/" + pkg).status() == 200);
        assertThat(hex(cq().http().get(CQ_COURT, "/" + id + "/items/c.bin").bytes())).isEqualTo(hex(content));

        Map<String, Object> audited = cq().jdbc().sql("""
                select actor, data from custody_event where package_id = :id and type = 'evidence.relay-retried'""")
                .param("id", id).query().singleRow();
        assertThat(audited.get("actor")).isEqualTo(OPERATOR.id());
        assertThat(audited.get("data").toString()).contains("\"operator\":\"ops-operator\"").contains("c.bin");
        assertThat(cq().jdbc().sql("select count(*) from outbox_event where routing_key = 'evidence.relay-retried' "
                + "and payload::jsonb ->> 'subject' = :id").param("id", id.toString()).query(Integer.class).single())
                .isEqualTo(1);
        // Nothing FAILED any more: 409.
        Response again = ops(cq(), OPERATOR, "POST", "/" + id + "/retry");
        assertThat(again.status()).as(again.body()).isEqualTo(409);
        assertThat(again.contentType()).startsWith("application/problem+json");
    }

    @Test
    void auditorsReadAPackagesEvidencesButNotThePackageAndOtherAgenciesSeeNothing() throws Exception {
        UUID id = sealedPackage("audited", CQ_COURT, "d.bin", random(2000));
        awaitTrue("the recipient sees the package", Duration.ofSeconds(60),
                () -> cq().http().get(CQ_COURT, "/" + id).status() == 200);
        for (TwoRegionEvidenceIT.Node node : List.of(sc(), cq())) {
            Response read = node.http().get(AUDITOR, "/" + id + "/evidences");
            assertThat(read.status()).as(node.name() + ": " + read.body()).isEqualTo(200);
            assertThat(read.json().findValuesAsString("type")).contains("SUBMISSION_ACCEPTED");
            assertThat(node.http().get(AUDITOR, "/" + id).status()).as("the package itself").isIn(403, 404);
            assertThat(node.http().get(AUDITOR, "/" + id + "/items/d.bin").status()).isIn(403, 404);
            assertThat(node.http().get(AUDITOR, "/" + UUID.randomUUID() + "/evidences").status()).isEqualTo(404);
        }
        assertThat(sc().http().get(SC_POLICE, "/" + id + "/evidences").status()).isEqualTo(404);
        assertThat(cq().http().get(EvidenceHttp.YUBEI_POLICE, "/" + id + "/evidences").status()).isEqualTo(404);
        assertThat(sc().http().get(OPERATOR, "/" + id + "/evidences").status()).isEqualTo(403);
    }

    @Test
    void theNewOperationsAreDocumentedWithTheirProblems() throws Exception {
        Response docs = sc().http().send(HttpRequest.newBuilder(URI.create("http://localhost:" + sc().port()
                + "/v3/api-docs")).GET());
        assertThat(docs.status()).isEqualTo(200);
        ApiDocsRules.assertFollowsTheRules("evidence-exchange-service (two regions)", docs.json());
        JsonNode paths = docs.json().path("paths");
        JsonNode retry = paths.path("/api/v1/ops/evidence-relay/{packageId}/retry").path("post");
        JsonNode list = paths.path("/api/v1/ops/evidence-relay").path("get");
        assertThat(retry.path("operationId").asString()).isEqualTo("retryEvidenceRelay");
        assertThat(list.path("operationId").asString()).isEqualTo("listFailedEvidenceRelays");
        for (JsonNode operation : List.of(retry, list)) {
            assertThat(operation.path("summary").asString()).isNotBlank();
            assertThat(operation.path("responses").path("403").path("content").has("application/problem+json"))
                    .isTrue();
        }
        assertThat(retry.path("responses").propertyNames()).contains("200", "404", "409");
        assertThat(paths.path("/api/v1/evidence-packages/{id}/evidences").path("get").path("description").asString())
                .contains("auditors");
        // For Spectral (spectral:oas), as system-tests/api-lint runs it on the documents the gateway serves.
        Path out = Path.of("target", "api-docs", "evidence-exchange-service-two-regions.json");
        Files.createDirectories(out.getParent());
        Files.write(out, docs.bytes());
    }

    // ---------------------------------------------------------------------------------------------------------------

    static List<String> types(TwoRegionEvidenceIT.Node node, Caller caller, UUID id) {
        return evidences(node, caller, id).stream().map(e -> e.get("type").asString()).toList();
    }

    static List<JsonNode> ofType(TwoRegionEvidenceIT.Node node, Caller caller, UUID id, String type) {
        return evidences(node, caller, id).stream().filter(e -> e.get("type").asString().equals(type)).toList();
    }

    /** Verifies the evidence against the issuing node's key. */
    static DeliveryEvidenceNotes.Statement verify(JsonNode e, TwoRegionEvidenceIT.Node issuer) throws Exception {
        return DeliveryEvidenceNotes.verify(new DeliveryEvidenceNotes.Evidence(e.get("type").asString(),
                e.get("exchangeId").asString(), e.get("issuer").asString(), Instant.parse(e.get("time").asString()),
                e.get("note").asString()), issuer.verifier());
    }

    static Response ops(TwoRegionEvidenceIT.Node node, Caller caller, String method, String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + node.port()
                        + "/api/v1/ops/evidence-relay" + path))
                .timeout(Duration.ofSeconds(30))
                .header("X-Chuanyu-Principal", TestInfrastructure.token(caller))
                .method(method, HttpRequest.BodyPublishers.noBody());
        return node.http().send(request);
    }

    static void flip(Path object, byte[] content, int at) throws Exception {
        try (RandomAccessFile file = new RandomAccessFile(object.toFile(), "rw")) {
            file.seek(at);
            int current = file.read();
            file.seek(at);
            file.write(current == (content[at] & 0xff) ? content[at] ^ 0x5a : content[at]);
        }
    }
}
