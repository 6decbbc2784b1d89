package cn.chuanyu.audit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import cn.chuanyu.audit.log.AuditLog;
import cn.chuanyu.audit.log.IncomingEvent;
import cn.chuanyu.contracts.EventEnvelope;
import cn.chuanyu.contracts.Role;
import cn.chuanyu.kit.identity.Caller;
import cn.chuanyu.kit.test.ChildProcess;
import cn.chuanyu.kit.test.TestHttp;
import cn.chuanyu.kit.test.TestInfrastructure;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The offline verifier ({@code verifier/AuditVerifier.java}, run as its own JVM on what the API returned) and
 * {@code verify} after an entry was altered by hand in the database.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.rabbitmq.listener.simple.auto-startup=false", "chuanyu.audit.sign-interval=1h"})
@DirtiesContext
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TamperIT {

    private static final Caller AUDITOR = new Caller("supervisor-auditor", Role.AUDITOR, null, null);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Path VERIFIER = Path.of("verifier", "AuditVerifier.java").toAbsolutePath();

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        AuditTestSupport.register(registry, "audit_tamper");
    }

    @LocalServerPort
    int port;

    @Autowired
    AuditLog log;

    @Autowired
    JdbcClient jdbc;

    @TempDir
    Path dir;

    @Test
    @Order(1)
    void theOfflineVerifierAcceptsGenuineProofsAndRejectsAFlippedBit() throws Exception {
        append(10);
        String oldCheckpoint = get("/api/v1/audit/checkpoint?fresh=true").body();
        append(15);
        String treeHead = get("/api/v1/audit/tree-head?fresh=true").body();
        long size = JSON.readTree(treeHead).path("treeSize").asLong();
        long seq = size - 7;
        Path key = write("key.txt", get("/api/v1/audit/public-key").body());
        Path head = write("tree-head.json", treeHead);
        Path checkpoint = write("checkpoint.txt", JSON.readTree(treeHead).path("checkpoint").asString());
        Path older = write("old-checkpoint.txt", oldCheckpoint);
        String entryJson = get("/api/v1/audit/entries/" + seq).body();
        Path entry = write("entry.json", entryJson);
        String proofJson = get("/api/v1/audit/proofs/inclusion?seq=" + seq + "&treeSize=" + size).body();
        Path proof = write("proof.json", proofJson);
        String consistencyJson = get("/api/v1/audit/proofs/consistency?from=10&to=" + size).body();
        Path consistency = write("consistency.json", consistencyJson);

        // As the README says to run it: the single source file, launched by java.
        Result valid = verifyFromSource("inclusion", "--key", key, "--checkpoint", checkpoint, "--entry", entry,
                "--proof", proof);
        assertThat(valid.exit()).as(valid.output()).isZero();
        assertThat(valid.output()).startsWith("VALID").contains("leaf " + (seq - 1));
        // The tree-head JSON serves as well as the bare checkpoint.
        assertThat(verify("inclusion", "--key", key, "--checkpoint", head, "--entry", entry, "--proof", proof).exit())
                .isZero();
        Result extends_ = verify("consistency", "--key", key, "--old", older, "--new", checkpoint, "--proof",
                consistency);
        assertThat(extends_.exit()).as(extends_.output()).isZero();

        // One flipped bit anywhere and the verifier says no.
        ObjectNode badPath = (ObjectNode) JSON.readTree(proofJson);
        badPath.putArray("auditPath").addAll(flipFirst(JSON.readTree(proofJson).path("auditPath")));
        Result flippedPath = verify("inclusion", "--key", key, "--checkpoint", checkpoint, "--entry", entry,
                "--proof", write("bad-proof.json", JSON.writeValueAsString(badPath)));
        assertThat(flippedPath.exit()).as(flippedPath.output()).isEqualTo(1);
        assertThat(flippedPath.output()).startsWith("INVALID");

        ObjectNode badEntry = (ObjectNode) JSON.readTree(entryJson);
        byte[] canonical = Base64.getDecoder().decode(badEntry.path("canonical").asString());
        // Flip the lowest bit of the '0' in "川01刑初" (a byte offset, the text being UTF-8).
        byte[] marker = "川01刑初".getBytes(StandardCharsets.UTF_8);
        int at = indexOf(canonical, marker);
        assertThat(at).isNotNegative();
        canonical[at + 3] ^= 0x01;
        badEntry.put("canonical", Base64.getEncoder().encodeToString(canonical));
        Result flippedEntry = verify("inclusion", "--key", key, "--checkpoint", checkpoint, "--entry",
                write("bad-entry.json", JSON.writeValueAsString(badEntry)), "--proof", proof);
        assertThat(flippedEntry.exit()).as(flippedEntry.output()).isEqualTo(1);

        String note = JSON.readTree(treeHead).path("checkpoint").asString();
        String badNote = note.replaceFirst("\n" + size + "\n", "\n" + (size + 1) + "\n");
        Result forgedHead = verify("inclusion", "--key", key, "--checkpoint", write("bad-checkpoint.txt", badNote),
                "--entry", entry, "--proof", proof);
        assertThat(forgedHead.exit()).isEqualTo(1);
        assertThat(forgedHead.output()).contains("signature");

        ObjectNode badConsistency = (ObjectNode) JSON.readTree(consistencyJson);
        badConsistency.putArray("path").addAll(flipFirst(JSON.readTree(consistencyJson).path("path")));
        Result flippedConsistency = verify("consistency", "--key", key, "--old", older, "--new", checkpoint,
                "--proof", write("bad-consistency.json", JSON.writeValueAsString(badConsistency)));
        assertThat(flippedConsistency.exit()).isEqualTo(1);
    }

    @Test
    @Order(2)
    void anEntryAlteredByHandInTheDatabaseIsNamedByVerify() throws Exception {
        append(20);
        get("/api/v1/audit/tree-head?fresh=true");
        JsonNode before = JSON.readTree(get("/api/v1/audit/verify").body());
        assertThat(before.path("ok").asBoolean()).as(before.toString()).isTrue();
        long size = before.path("treeSize").asLong();
        long victim = size - 12;
        long later = size - 3;
        String entryBefore = get("/api/v1/audit/entries/" + victim).body();
        String proofJson = get("/api/v1/audit/proofs/inclusion?seq=" + victim).body();

        // A superuser edits the trail behind the service's back.
        jdbc.sql("alter table audit_entry disable trigger audit_entry_no_update").update();
        try {
            jdbc.sql("update audit_entry set envelope = replace(envelope, '川01刑初', '川01刑终') where seq = :seq")
                    .param("seq", victim).update();
            jdbc.sql("update audit_entry set to_agency = 'cq-yubei-public-security' where seq = :seq")
                    .param("seq", later).update();
        }
        finally {
            jdbc.sql("alter table audit_entry enable trigger audit_entry_no_update").update();
        }

        JsonNode after = JSON.readTree(get("/api/v1/audit/verify").body());
        assertThat(after.path("ok").asBoolean()).isFalse();
        assertThat(after.path("firstMismatchSeq").asLong()).isEqualTo(victim);
        assertThat(after.path("firstMismatchLeafIndex").asLong()).isEqualTo(victim - 1);
        assertThat(after.path("firstMismatchReason").asString()).contains("no longer matches");
        assertThat(after.path("mismatchedEntries").asLong()).isEqualTo(2);
        assertThat(after.path("firstBadSignedTreeSize").asLong()).isGreaterThanOrEqualTo(victim);
        assertThat(after.path("storedRootMatches").asBoolean()).isFalse();

        // The altered entry, as the API now shows it, no longer proves against the signed head.
        Path key = write("key.txt", get("/api/v1/audit/public-key").body());
        Path checkpoint = write("checkpoint.txt", get("/api/v1/audit/checkpoint").body());
        Path proof = write("proof.json", proofJson);
        Result altered = verify("inclusion", "--key", key, "--checkpoint", checkpoint, "--entry",
                write("altered.json", get("/api/v1/audit/entries/" + victim).body()), "--proof", proof);
        assertThat(altered.exit()).as(altered.output()).isEqualTo(1);
        // The copy an agency saved before the edit still does.
        Result original = verify("inclusion", "--key", key, "--checkpoint", checkpoint, "--entry",
                write("original.json", entryBefore), "--proof", proof);
        assertThat(original.exit()).as(original.output()).isZero();
    }

    private void append(int count) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        List<IncomingEvent> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(new IncomingEvent(new EventEnvelope(UUID.randomUUID().toString(), "case-transfer-service",
                    "case-transfer.submitted", UUID.randomUUID().toString(), now, "corr-tamper-" + i,
                    "sc-chengdu-intermediate-court", "cq-first-intermediate-court",
                    Map.of("caseNumber", "(2026)川01刑初" + i + "号", "title", "跨区域诈骗案")), "case-transfer-service",
                    null));
        }
        log.append(events);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static List<JsonNode> flipFirst(JsonNode hashes) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode h : hashes) {
            out.add(h);
        }
        String first = out.get(0).asString();
        char c = first.charAt(0);
        String flipped = (c == '0' ? '1' : '0') + first.substring(1);
        out.set(0, JSON.getNodeFactory().textNode(flipped));
        return out;
    }

    record Result(int exit, String output) {
    }

    /** The verifier compiled once (to save the source launcher's compile on every run), as its own JVM. */
    private Result verify(String command, Object... args) throws IOException, InterruptedException {
        return run(List.of("-cp", compiledVerifier().toString(), "AuditVerifier", command), args);
    }

    private Result verifyFromSource(String command, Object... args) throws IOException, InterruptedException {
        return run(List.of(VERIFIER.toString(), command), args);
    }

    private static Path compiled;

    private static synchronized Path compiledVerifier() throws IOException {
        if (compiled == null) {
            Path out = Files.createTempDirectory("audit-verifier-");
            int status = javax.tools.ToolProvider.getSystemJavaCompiler()
                    .run(null, null, null, "-d", out.toString(), VERIFIER.toString());
            assertThat(status).as("javac AuditVerifier.java").isZero();
            compiled = out;
        }
        return compiled;
    }

    private Result run(List<String> launch, Object... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(launch);
        for (Object arg : args) {
            cmd.add(arg.toString());
        }
        String command = launch.get(launch.size() - 1);
        ChildProcess.Result result = ChildProcess.run(cmd, Duration.ofSeconds(60));
        System.out.println("offline verifier " + command + ": exit " + result.exit() + ": " + result.output().trim());
        return new Result(result.exit(), result.output());
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    private TestHttp.Response get(String path) {
        TestHttp.Response response = TestHttp.get("http://localhost:" + port + path, "X-Chuanyu-Principal",
                TestInfrastructure.token(AUDITOR));
        assertThat(response.status()).as(path + " " + response.body()).isEqualTo(200);
        return response;
    }
}
