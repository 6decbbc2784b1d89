package cn.chuanyu.audit;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import cn.chuanyu.audit.log.AuditLog;
import cn.chuanyu.audit.log.IncomingEvent;
import cn.chuanyu.contracts.EventEnvelope;
import cn.chuanyu.contracts.Role;
import cn.chuanyu.kit.crypto.Sm2Keys;
import cn.chuanyu.kit.identity.Caller;
import cn.chuanyu.kit.keys.KeyFiles;
import cn.chuanyu.kit.note.NoteSigner;
import cn.chuanyu.kit.note.NoteVerifier;
import cn.chuanyu.kit.test.TestHttp;
import cn.chuanyu.kit.test.TestInfrastructure;
import cn.chuanyu.kit.tlog.Checkpoint;
import cn.chuanyu.kit.tlog.CosignatureSigner;
import cn.chuanyu.kit.tlog.CosignatureVerifier;
import cn.chuanyu.kit.tlog.MerkleProofs;
import cn.chuanyu.kit.tlog.SignedNote;
import cn.chuanyu.kit.tlog.Sm2Cosignature;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The log with a real witness: the packaged witness jar, run as its own process with its own key and state (build
 * it first: the reactor builds {@code witness} before this module). The log publishes only cosigned checkpoints,
 * keeps the last one while the witness is away, and a leaf rewritten in the database is refused by the witness and
 * raises the alert.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.rabbitmq.listener.simple.auto-startup=false", "chuanyu.audit.sign-interval=1h",
                "chuanyu.audit.witness-policy.alert-after=6s"})
@DirtiesContext
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WitnessedLogIT {

    private static final String DATABASE = "audit_witnessed";
    private static final String ORIGIN = "chuanyu.exchange/audit-log";
    private static final Caller AUDITOR = new Caller("supervisor-auditor", Role.AUDITOR, null, null);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static Path dir;
    private static Process witness;
    private static int witnessPort;
    private static String witnessKey;
    private static String logKey;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        AuditTestSupport.register(registry, DATABASE);
        registry.add("chuanyu.audit.witnesses", WitnessedLogIT::witnessSpec);
    }

    /** Makes both keys first (as the launch recipe does), starts the witness, and names it to the log. */
    private static synchronized String witnessSpec() {
        if (witness == null) {
            try {
                dir = Files.createTempDirectory("witnessed-log-");
                KeyPair logKeys = KeyFiles.ed25519(AuditTestSupport.KEY_DIR.resolve(DATABASE + ".key"));
                logKey = new NoteSigner(ORIGIN, logKeys).verifierKey();
                KeyPair witnessKeys = KeyFiles.ed25519(dir.resolve("witness.key"));
                witnessKey = new CosignatureSigner("witness.test.local", witnessKeys).verifierKey();
                try (ServerSocket socket = new ServerSocket(0)) {
                    witnessPort = socket.getLocalPort();
                }
                startWitness();
            }
            catch (IOException ex) {
                throw new IllegalStateException(ex);
            }
        }
        return witnessKey + "@http://localhost:" + witnessPort;
    }

    private static void startWitness() throws IOException {
        Path jar;
        try (var files = Files.list(Path.of("..", "witness", "target"))) {
            jar = files.filter(f -> f.getFileName().toString().matches("witness-.*\\.jar")
                    && !f.getFileName().toString().endsWith("-tests.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no packaged witness jar in ../witness/target: "
                            + "build with -pl witness,audit-service -am"));
        }
        catch (java.nio.file.NoSuchFileException ex) {
            throw new IllegalStateException("no ../witness/target: build with -pl witness,audit-service -am", ex);
        }
        witness = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", jar.toAbsolutePath().toString(), "--server.port=" + witnessPort,
                "--chuanyu.witness.name=witness.test.local",
                "--chuanyu.witness.key-file=" + dir.resolve("witness.key"),
                "--chuanyu.witness.state-dir=" + dir.resolve("state"),
                "--chuanyu.witness.logs=" + logKey,
                "--chuanyu.crypto.sm2.enabled=true") // as the launch recipe runs it: an SM2 line after the Ed25519 one
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("witness.log")
                        .toFile())).start();
        HttpClient http = HttpClient.newHttpClient();
        waitFor(Duration.ofSeconds(120), "the witness to start (log: " + dir.resolve("witness.log") + ")", () -> {
            try {
                return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + witnessPort
                        + "/actuator/health")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.ofString()).body().contains("UP");
            }
            catch (IOException ex) {
                return false;
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
    }

    private static void stopWitness() throws InterruptedException {
        witness.destroy();
        if (!witness.waitFor(30, TimeUnit.SECONDS)) {
            witness.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (witness != null) {
            stopWitness();
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    AuditLog log;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    MeterRegistry meters;

    @Test
    @Order(1)
    void publishesOnlyCosignedCheckpointsAndKeepsTheLastWhileTheWitnessIsAway() throws Exception {
        append(10);
        String note = get("/api/v1/audit/checkpoint?fresh=true").body();
        NoteVerifier.of(logKey).verify(note);
        CosignatureVerifier cosigner = CosignatureVerifier.of(witnessKey);
        assertThat(cosigner.find(note)).as(note).isPresent();
        // The witness's SM2 cosignature (same name, its SM2 key beside witness.key) is carried into the published
        // checkpoint after the Ed25519 one, though the log counts only the Ed25519 cosignature.
        SignedNote signed = SignedNote.parse(note);
        PublicKey witnessSm2 = Sm2Keys.keyFile(Sm2Keys.fileBeside(dir.resolve("witness.key"))).getPublic();
        assertThat(signed.signatureLines()).as(note).hasSize(3) // the log's, the witness's Ed25519, its SM2
                .filteredOn(l -> Sm2Cosignature.verifyLine(signed.text(), l, "witness.test.local", witnessSm2)
                        .isPresent()).hasSize(1);
        assertThat(Sm2Cosignature.verifyLine(signed.text(), signed.signatureLines().get(2), "witness.test.local",
                witnessSm2)).isPresent();
        long cosigned = Checkpoint.parse(note).size();
        assertThat(cosigned).isGreaterThanOrEqualTo(10);

        append(5); // signed by the log on demand elsewhere, but not yet cosigned: not what the log publishes
        assertThat(Checkpoint.parse(get("/api/v1/audit/checkpoint").body()).size()).isEqualTo(cosigned);

        JsonNode witnesses = JSON.readTree(get("/api/v1/audit/witnesses").body());
        assertThat(witnesses.path("minCosignatures").asInt()).isEqualTo(1);
        JsonNode one = witnesses.path("witnesses").get(0);
        assertThat(one.path("name").asString()).isEqualTo("witness.test.local");
        assertThat(one.path("verifierKey").asString()).isEqualTo(witnessKey);
        assertThat(one.path("lastCosignedSize").asLong()).isEqualTo(cosigned);
        assertThat(witnesses.path("published").path("treeSize").asLong()).isEqualTo(cosigned);
        assertThat(meters.get("chuanyu.audit.checkpoint.cosigned.age").gauge().value()).isBetween(0.0, 60.0);

        // The witness goes away: the cosigned checkpoint stays published, and past the threshold (6 s) an alert.
        // (Cosigned afresh just before, so the alert is about the witness being away, not about a quiet log.)
        cosigned = Checkpoint.parse(get("/api/v1/audit/checkpoint?fresh=true").body()).size();
        stopWitness();
        assertThat(Checkpoint.parse(get("/api/v1/audit/checkpoint?fresh=true").body()).size()).isEqualTo(cosigned);
        assertThat(JSON.readTree(get("/api/v1/audit/witnesses").body()).path("witnesses").get(0)
                .path("lastError").asString()).startsWith("unreachable");
        waitFor(Duration.ofSeconds(40), "the stale-cosignature alert naming the unreachable witness",
                () -> outboxAlerts().stream().anyMatch(p -> p.contains("\"kind\":\"stale\"")
                        && p.contains("witness.test.local (unreachable")));
        assertThat(alerts("stale")).isGreaterThanOrEqualTo(1.0);
        append(3);

        startWitness();
        String back = get("/api/v1/audit/checkpoint?fresh=true").body();
        assertThat(Checkpoint.parse(back).size()).isEqualTo(cosigned + 3);
        assertThat(cosigner.find(back)).isPresent();
    }

    @Test
    @Order(2)
    void aLeafRewrittenInTheDatabaseIsRefusedByTheWitnessAndRaisesTheAlert() throws Exception {
        append(6);
        String before = get("/api/v1/audit/checkpoint?fresh=true").body();
        Checkpoint cosigned = Checkpoint.parse(before);
        assertThat(CosignatureVerifier.of(witnessKey).find(before)).isPresent();

        // The owner of the database rewrites entry 3 (leaf 2) and, to hide it, its leaf and every stored node above.
        long seq = 3;
        long leaf = seq - 1;
        jdbc.sql("alter table audit_entry disable trigger audit_entry_no_update").update();
        try {
            jdbc.sql("update audit_entry set envelope = replace(envelope, '川01刑初', '川01刑终') where seq = :seq")
                    .param("seq", seq).update();
        }
        finally {
            jdbc.sql("alter table audit_entry enable trigger audit_entry_no_update").update();
        }
        byte[] canonical = Base64.getDecoder().decode(JSON.readTree(get("/api/v1/audit/entries/" + seq).body())
                .path("canonical").asString());
        jdbc.sql("alter table merkle_node disable trigger merkle_node_no_update").update();
        try {
            setNode(0, leaf, MerkleProofs.leafHash(canonical));
            for (int level = 1; level < 63; level++) {
                long idx = leaf >> level;
                if (node(level, idx) == null) {
                    break;
                }
                setNode(level, idx, MerkleProofs.nodeHash(node(level - 1, 2 * idx), node(level - 1, 2 * idx + 1)));
            }
        }
        finally {
            jdbc.sql("alter table merkle_node enable trigger merkle_node_no_update").update();
        }

        // The log, none the wiser, signs a new head over the rewritten tree: the witness refuses it.
        append(4);
        String after = get("/api/v1/audit/checkpoint?fresh=true").body();
        assertThat(after).as("the refused head is not published").isEqualTo(before);
        JsonNode witness = JSON.readTree(get("/api/v1/audit/witnesses").body()).path("witnesses").get(0);
        assertThat(witness.path("refusal").asString()).contains("does not verify");
        assertThat(alerts("refused")).isEqualTo(1.0);
        String root = Base64.getEncoder().encodeToString(cosigned.rootHash());
        assertThat(outboxAlerts()).anySatisfy(payload -> assertThat(payload).contains("\"kind\":\"refused\"")
                .contains("\"witnessTreeSize\":" + cosigned.size()).contains(root)
                .contains("\"logTreeSize\":" + (cosigned.size() + 4)));
        // The refusal is raised once, not on every round.
        get("/api/v1/audit/checkpoint?fresh=true");
        assertThat(alerts("refused")).isEqualTo(1.0);
    }

    private void setNode(int level, long idx, byte[] hash) {
        jdbc.sql("update merkle_node set hash = :hash where level = :level and idx = :idx").param("hash", hash)
                .param("level", level).param("idx", idx).update();
    }

    private byte[] node(int level, long idx) {
        return jdbc.sql("select hash from merkle_node where level = :level and idx = :idx").param("level", level)
                .param("idx", idx).query(byte[].class).optional().orElse(null);
    }

    private double alerts(String kind) {
        Counter counter = meters.find("chuanyu.audit.witness.alerts").tag("kind", kind).counter();
        return counter == null ? 0 : counter.count();
    }

    private List<String> outboxAlerts() {
        return jdbc.sql("select payload from outbox_event where routing_key = 'ops.witness-alert' order by seq")
                .query(String.class).list();
    }

    private void append(int count) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        List<IncomingEvent> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(new IncomingEvent(new EventEnvelope(UUID.randomUUID().toString(), "case-transfer-service",
                    "case-transfer.submitted", UUID.randomUUID().toString(), now, "corr-witness-" + i,
                    "sc-chengdu-intermediate-court", "cq-first-intermediate-court",
                    Map.of("caseNumber", "(2026)川01刑初" + i + "号", "title", "跨区域诈骗案")), "case-transfer-service",
                    null));
        }
        log.append(events);
    }

    private static void waitFor(Duration timeout, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            try {
                Thread.sleep(200);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }

    private TestHttp.Response get(String path) {
        TestHttp.Response response = TestHttp.get("http://localhost:" + port + path, "X-Chuanyu-Principal",
                TestInfrastructure.token(AUDITOR));
        assertThat(response.status()).as(path + " " + response.body()).isEqualTo(200);
        return response;
    }
}
