package cn.chuanyu.audit.bundle;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import cn.chuanyu.audit.AuditTestSupport;
import cn.chuanyu.audit.log.AuditLog;
import cn.chuanyu.audit.log.IncomingEvent;
import cn.chuanyu.contracts.AgencyKind;
import cn.chuanyu.contracts.EventEnvelope;
import cn.chuanyu.contracts.EventTypes;
import cn.chuanyu.contracts.Region;
import cn.chuanyu.contracts.Role;
import cn.chuanyu.kit.crypto.Sm2Keys;
import cn.chuanyu.kit.identity.Caller;
import cn.chuanyu.kit.identity.PrincipalTokens;
import cn.chuanyu.kit.test.ChildProcess;
import cn.chuanyu.kit.test.TestHttp;
import cn.chuanyu.kit.test.TestInfrastructure;
import cn.chuanyu.kit.tlog.Sm2Cosignature;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The proof bundle of an exchange, from the endpoint to the offline verifier ({@code verifier/AuditVerifier.java}
 * run as its own JVM, as {@code bin/chuanyu-verify verify-bundle} runs it): who may have it, that a real bundle
 * verifies with the log's key, a witness's cosignature made here per C2SP tlog-cosignature, and the sealed
 * manifest; and that each class of byte flipped in it is refused. evidence-exchange-service and
 * case-transfer-service are a stub here (the manifest, signed with a test evidence key; no delivery evidences yet).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.rabbitmq.listener.simple.auto-startup=false", "chuanyu.audit.sign-interval=1h"})
class ProofBundleIT {

    static final String SC_COURT = "sc-chengdu-intermediate-court";
    static final String CQ_COURT = "cq-first-intermediate-court";
    static final String CQ_POLICE = "cq-yubei-public-security";
    private static final Caller AUDITOR = new Caller("supervisor-auditor", Role.AUDITOR, null, null);
    private static final Caller SENDER = new Caller(SC_COURT, Role.AGENCY, Region.SC, AgencyKind.COURT);
    private static final Caller RECIPIENT = new Caller(CQ_COURT, Role.AGENCY, Region.CQ, AgencyKind.COURT);
    private static final Caller THIRD = new Caller(CQ_POLICE, Role.AGENCY, Region.CQ, AgencyKind.PUBLIC_SECURITY);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Path VERIFIER = Path.of("verifier", "AuditVerifier.java").toAbsolutePath();

    /** evidence-exchange-service and case-transfer-service as far as a bundle needs them: manifests by package id. */
    private static final HttpServer STUB;
    private static final Map<String, String> MANIFESTS = new ConcurrentHashMap<>();
    private static final List<String> PRINCIPALS_SEEN = new java.util.concurrent.CopyOnWriteArrayList<>();
    private static final KeyPair EVIDENCE_KEY = ed25519();

    static {
        try {
            STUB = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        }
        catch (IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
        STUB.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            String principal = exchange.getRequestHeaders().getFirst(PrincipalTokens.HEADER);
            PRINCIPALS_SEEN.add(path + " " + (principal != null));
            String[] parts = path.split("/");
            String body = path.endsWith("/manifest") && parts.length > 4 ? MANIFESTS.get(parts[4]) : null;
            byte[] bytes = (body == null ? "{\"status\":404}" : body).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(body == null ? 404 : 200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        STUB.start();
    }

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        AuditTestSupport.register(registry, "audit_bundle");
        String stub = "http://127.0.0.1:" + STUB.getAddress().getPort();
        registry.add("spring.cloud.discovery.client.simple.instances.evidence-exchange-service[0].uri", () -> stub);
        registry.add("spring.cloud.discovery.client.simple.instances.case-transfer-service[0].uri", () -> stub);
    }

    @AfterAll
    static void stopStub() {
        STUB.stop(0);
    }

    @LocalServerPort
    int port;

    @Autowired
    AuditLog log;

    @TempDir
    Path dir;

    @Test
    void theBundleGoesToThePartiesAndAuditorsOnly() {
        String exchangeId = UUID.randomUUID().toString();
        append(event(exchangeId, EventTypes.CASE_TRANSFER_SUBMITTED, SC_COURT, CQ_COURT, Map.of("caseNumber",
                "(2026)川01刑初7号")), event(exchangeId, EventTypes.CASE_TRANSFER_ACCEPTED, CQ_COURT, SC_COURT, Map.of()));
        get("/api/v1/audit/checkpoint?fresh=true", AUDITOR);

        TestHttp.Response bundle = get("/api/v1/audit/bundles/" + exchangeId, SENDER);
        assertThat(bundle.status()).as(bundle.body()).isEqualTo(200);
        assertThat(bundle.contentType()).startsWith(ProofBundle.MEDIA_TYPE);
        assertThat(bundle.header("Content-Disposition")).contains("proof-bundle-" + exchangeId + ".json");
        JsonNode json = bundle.json();
        assertThat(json.path("bundleVersion").asInt()).isEqualTo(1);
        assertThat(json.path("entries")).hasSize(2);
        assertThat(json.path("proofs")).hasSize(2);
        assertThat(json.path("pendingEntries").asInt()).isZero();
        assertThat(json.path("manifest").isNull() || json.path("manifest").isMissingNode()).isTrue();
        assertThat(json.path("keys").path("log").asString()).isEqualTo(get("/api/v1/audit/public-key", AUDITOR)
                .body().trim());
        // The delivery-evidence endpoint does not answer here (404): named, not fatal.
        assertThat(json.path("omissions").toString()).contains("delivery evidences");

        assertThat(get("/api/v1/audit/bundles/" + exchangeId, RECIPIENT).status()).isEqualTo(200);
        assertThat(get("/api/v1/audit/bundles/" + exchangeId, AUDITOR).status()).isEqualTo(200);
        TestHttp.Response third = get("/api/v1/audit/bundles/" + exchangeId, THIRD);
        assertThat(third.status()).isEqualTo(404);
        assertThat(third.contentType()).startsWith("application/problem+json");
        assertThat(get("/api/v1/audit/bundles/" + UUID.randomUUID(), AUDITOR).status()).isEqualTo(404);

        // A package's recipient learns nothing of it before it is sealed, here as in every other audit view.
        String packageId = UUID.randomUUID().toString();
        append(event(packageId, EventTypes.EVIDENCE_PACKAGE_CREATED, SC_COURT, CQ_COURT, Map.of("title", "未密封")));
        get("/api/v1/audit/checkpoint?fresh=true", AUDITOR);
        assertThat(get("/api/v1/audit/bundles/" + packageId, SENDER).status()).isEqualTo(200);
        assertThat(get("/api/v1/audit/bundles/" + packageId, RECIPIENT).status()).isEqualTo(404);

        // An entry newer than the published checkpoint is counted, not proven against a head nobody published.
        append(event(exchangeId, EventTypes.CASE_TRANSFER_WITHDRAWN, SC_COURT, CQ_COURT, Map.of()));
        JsonNode later = get("/api/v1/audit/bundles/" + exchangeId, SENDER).json();
        assertThat(later.path("entries")).hasSize(2);
        assertThat(later.path("pendingEntries").asInt()).isEqualTo(1);
    }

    @Test
    void aRealBundleVerifiesOfflineAndEveryFlippedByteClassIsRefused() throws Exception {
        // A sealed evidence package: its manifest's item digest and the manifest's own digest are in the log.
        String packageId = UUID.randomUUID().toString();
        String itemSha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest("账本".getBytes(StandardCharsets.UTF_8)));
        String canonicalManifest = "{\"fromAgency\":\"" + SC_COURT + "\",\"items\":[{\"contentType\":"
                + "\"application/pdf\",\"name\":\"ledger.pdf\",\"sha256\":\"" + itemSha + "\",\"size\":6}],"
                + "\"packageId\":\"" + packageId + "\",\"sealedAt\":\"2026-11-26T08:00:00.000Z\",\"toAgency\":\""
                + CQ_COURT + "\"}";
        String manifestSha = hex(MessageDigest.getInstance("SHA-256")
                .digest(canonicalManifest.getBytes(StandardCharsets.UTF_8)));
        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("packageId", packageId);
        manifest.put("canonical", canonicalManifest);
        manifest.put("canonicalization", "RFC 8785 (JCS), UTF-8");
        manifest.put("sha256", manifestSha);
        manifest.put("signatureAlgorithm", "Ed25519");
        manifest.put("signature", Base64.getEncoder().encodeToString(
                sign(EVIDENCE_KEY.getPrivate(), canonicalManifest.getBytes(StandardCharsets.UTF_8))));
        manifest.put("signingPublicKeyPem", pem(EVIDENCE_KEY));
        MANIFESTS.put(packageId, JSON.writeValueAsString(manifest));
        append(event(packageId, EventTypes.EVIDENCE_PACKAGE_CREATED, SC_COURT, CQ_COURT,
                        Map.of("title", "诈骗案账册", "createdBy", SC_COURT)),
                event(packageId, EventTypes.EVIDENCE_ITEM_ADDED, SC_COURT, CQ_COURT, Map.of("name", "ledger.pdf",
                        "size", 6, "sha256", itemSha, "contentType", "application/pdf", "addedBy", SC_COURT)),
                event(packageId, EventTypes.EVIDENCE_SEALED, SC_COURT, CQ_COURT, Map.of("sealedBy", SC_COURT,
                        "manifestSha256", manifestSha, "itemCount", 1, "totalBytes", 6)));
        append(event(UUID.randomUUID().toString(), EventTypes.CASE_TRANSFER_SUBMITTED, SC_COURT, CQ_COURT,
                Map.of("caseNumber", "(2026)川01刑初8号")));
        get("/api/v1/audit/checkpoint?fresh=true", AUDITOR);

        TestHttp.Response response = get("/api/v1/audit/bundles/" + packageId, RECIPIENT);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        ObjectNode bundle = (ObjectNode) response.json();
        assertThat(bundle.path("entries")).hasSize(3);
        assertThat(bundle.path("manifest").path("sha256").asString()).isEqualTo(manifestSha);
        // Fetched as audit-service, on the recipient's behalf.
        assertThat(PRINCIPALS_SEEN).contains("/api/v1/evidence-packages/" + packageId + "/manifest true");
        // The bundle as served, with the log's signature only.
        Path logKey = write("log-key.txt", get("/api/v1/audit/public-key", AUDITOR).body());
        Path manifestKey = write("evidence-key.pem", pem(EVIDENCE_KEY));
        Path served = write("served.json", response.body());
        Result alone = verify(served, "--log-key", logKey, "--min-witnesses", "0", "--manifest-key", manifestKey);
        assertThat(alone.exit()).as(alone.output()).isZero();
        assertThat(alone.output()).contains("witnessed by nobody");

        // A witness cosigns the checkpoint (C2SP tlog-cosignature/v1), as the witness role will.
        KeyPair witness = ed25519();
        String witnessName = "witness.test/w1";
        String checkpoint = bundle.path("checkpoint").asString();
        long cosignedAt = 1_790_000_000L;
        // With the SM2 suite on, the witness adds its SM2 cosignature under the same name (another key id): the
        // verifier, given only the Ed25519 witness key, ignores it.
        String sm2Line = new Sm2Cosignature(witnessName, Sm2Keys.generate()).cosign(
                checkpoint.substring(0, checkpoint.indexOf("\n\n") + 1), Instant.ofEpochSecond(cosignedAt));
        bundle.put("checkpoint", checkpoint + cosignatureLine(witnessName, witness, cosignedAt, checkpoint) + sm2Line);
        Path witnessKey = write("witness-key.txt", witnessVkey(witnessName, witness));
        Path good = write("bundle.json", JSON.writeValueAsString(bundle));

        Result valid = verifyFromSource(good, "--log-key", logKey, "--witness-key", witnessKey, "--manifest-key",
                manifestKey);
        assertThat(valid.exit()).as(valid.output()).isZero();
        long treeSize = Long.parseLong(checkpoint.split("\n")[1]);
        assertThat(valid.output()).startsWith("VALID").contains("tree size " + treeSize)
                .contains("cosigned by 1 of 1").contains(witnessName).contains(Instant.ofEpochSecond(cosignedAt)
                        .toString())
                .contains(EventTypes.EVIDENCE_SEALED).contains(EventTypes.EVIDENCE_ITEM_ADDED)
                .contains("ledger.pdf").contains("signature verifies");

        // An entry byte: the '0' of "ledger.pdf"'s size in the item-added entry's canonical bytes.
        ObjectNode entryFlip = bundle.deepCopy();
        ObjectNode added = (ObjectNode) entryFlip.path("entries").get(1);
        byte[] canonical = Base64.getDecoder().decode(added.path("canonical").asString());
        canonical[canonical.length - 3] ^= 0x01;
        added.put("canonical", Base64.getEncoder().encodeToString(canonical));
        refused(entryFlip, "entry byte", logKey, witnessKey, manifestKey);

        // A proof hash.
        ObjectNode proofFlip = bundle.deepCopy();
        ArrayNode path = (ArrayNode) proofFlip.path("proofs").get(0).path("inclusionPath");
        byte[] hash = Base64.getDecoder().decode(path.get(0).asString());
        hash[0] ^= 0x01;
        path.set(0, Base64.getEncoder().encodeToString(hash));
        refused(proofFlip, "proof hash", logKey, witnessKey, manifestKey);

        // The checkpoint's size (the log's signature no longer holds).
        ObjectNode sizeFlip = bundle.deepCopy();
        sizeFlip.put("checkpoint", bundle.path("checkpoint").asString()
                .replaceFirst("\n" + treeSize + "\n", "\n" + (treeSize + 1) + "\n"));
        refused(sizeFlip, "checkpoint size", logKey, witnessKey, manifestKey);

        // A byte of the cosignature.
        ObjectNode cosignatureFlip = bundle.deepCopy();
        String line = cosignatureLine(witnessName, witness, cosignedAt, checkpoint).trim();
        byte[] blob = Base64.getDecoder().decode(line.substring(line.lastIndexOf(' ') + 1));
        blob[40] ^= 0x01;
        cosignatureFlip.put("checkpoint", checkpoint + "\u2014 " + witnessName + " "
                + Base64.getEncoder().encodeToString(blob) + "\n");
        refused(cosignatureFlip, "cosignature", logKey, witnessKey, manifestKey);

        // Its timestamp alone (the cosigned time is part of the signed message).
        ObjectNode timeFlip = bundle.deepCopy();
        byte[] timed = Base64.getDecoder().decode(line.substring(line.lastIndexOf(' ') + 1));
        timed[11] ^= 0x01;
        timeFlip.put("checkpoint", checkpoint + "\u2014 " + witnessName + " "
                + Base64.getEncoder().encodeToString(timed) + "\n");
        refused(timeFlip, "cosignature timestamp", logKey, witnessKey, manifestKey);

        // A manifest item digest, with the manifest's own sha256 left as it was...
        ObjectNode digestFlip = bundle.deepCopy();
        String forged = canonicalManifest.replace(itemSha, (itemSha.charAt(0) == '0' ? "1" : "0")
                + itemSha.substring(1));
        ((ObjectNode) digestFlip.path("manifest")).put("canonical", forged);
        refused(digestFlip, "manifest item digest", logKey, witnessKey, manifestKey);
        // ... or recomputed to match: the log's record of the sealed digest still says no, even unsigned-checked.
        ((ObjectNode) digestFlip.path("manifest")).put("sha256", hex(MessageDigest.getInstance("SHA-256")
                .digest(forged.getBytes(StandardCharsets.UTF_8))));
        Path digestFile = write("digest-recomputed.json", JSON.writeValueAsString(digestFlip));
        Result recomputed = verify(digestFile, "--log-key", logKey, "--witness-key", witnessKey);
        assertThat(recomputed.exit()).as(recomputed.output()).isEqualTo(1);
        assertThat(recomputed.output()).contains("the log recorded");

        // A wrong log key: another key under the log's name.
        String origin = checkpoint.split("\n")[0];
        Result wrongKey = verify(good, "--log-key", write("other-key.txt", noteVkey(origin, ed25519())),
                "--witness-key", witnessKey);
        assertThat(wrongKey.exit()).as(wrongKey.output()).isEqualTo(1);

        // Too few witnesses: two trusted, one cosigned, both required by default; one required is enough.
        Path secondWitness = write("witness-2.txt", witnessVkey("witness.test/w2", ed25519()));
        Result tooFew = verify(good, "--log-key", logKey, "--witness-key", witnessKey, "--witness-key",
                secondWitness);
        assertThat(tooFew.exit()).as(tooFew.output()).isEqualTo(1);
        assertThat(tooFew.output()).contains("cosigned by 1 of the 2");
        Result quorum = verify(good, "--log-key", logKey, "--witness-key", witnessKey, "--witness-key",
                secondWitness, "--min-witnesses", "1");
        assertThat(quorum.exit()).as(quorum.output()).isZero();

        // Unusable input: garbage, a missing file, a malformed key, no witness policy at all.
        Result garbage = verify(write("garbage.json", "{\"bundleVersion\": 1, \"entries\": [tru"), "--log-key",
                logKey, "--witness-key", witnessKey);
        assertThat(garbage.exit()).as(garbage.output()).isEqualTo(2);
        assertThat(verify(dir.resolve("missing.json"), "--log-key", logKey, "--witness-key", witnessKey).exit())
                .isEqualTo(2);
        assertThat(verify(good, "--log-key", logKey, "--witness-key", "w+00000000+AAAA").exit()).isEqualTo(2);
        // The log's key is not a witness key (signature type 0x01, not 0x04).
        assertThat(verify(good, "--log-key", logKey, "--witness-key", logKey).exit()).isEqualTo(2);
        assertThat(verify(good, "--log-key", logKey).exit()).isEqualTo(2);
    }

    private void refused(ObjectNode bundle, String what, Path logKey, Path witnessKey, Path manifestKey)
            throws Exception {
        Path file = write(what.replace(' ', '-') + ".json", JSON.writeValueAsString(bundle));
        Result result = verify(file, "--log-key", logKey, "--witness-key", witnessKey, "--manifest-key", manifestKey);
        assertThat(result.exit()).as(what + ": " + result.output()).isEqualTo(1);
        assertThat(result.output()).as(what).startsWith("INVALID");
    }

    // ---- C2SP signed-note and tlog-cosignature, written here independently of the verifier -------------------

    private static String cosignatureLine(String name, KeyPair key, long timestamp, String checkpoint)
            throws Exception {
        String body = checkpoint.substring(0, checkpoint.indexOf("\n\n") + 1);
        byte[] message = ("cosignature/v1\ntime " + timestamp + "\n" + body).getBytes(StandardCharsets.UTF_8);
        byte[] blob = new byte[4 + 8 + 64];
        System.arraycopy(keyId(name, (byte) 0x04, key), 0, blob, 0, 4);
        for (int i = 0; i < 8; i++) {
            blob[4 + i] = (byte) (timestamp >>> (56 - 8 * i));
        }
        System.arraycopy(sign(key.getPrivate(), message), 0, blob, 12, 64);
        return "\u2014 " + name + " " + Base64.getEncoder().encodeToString(blob) + "\n";
    }

    private static String witnessVkey(String name, KeyPair key) throws Exception {
        return vkey(name, (byte) 0x04, key);
    }

    private static String noteVkey(String name, KeyPair key) throws Exception {
        return vkey(name, (byte) 0x01, key);
    }

    private static String vkey(String name, byte type, KeyPair key) throws Exception {
        byte[] typed = new byte[33];
        typed[0] = type;
        System.arraycopy(raw(key), 0, typed, 1, 32);
        return name + "+" + hex(keyId(name, type, key)) + "+" + Base64.getEncoder().encodeToString(typed);
    }

    private static byte[] keyId(String name, byte type, KeyPair key) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update((name + "\n").getBytes(StandardCharsets.UTF_8));
        sha.update(type);
        sha.update(raw(key));
        return Arrays.copyOf(sha.digest(), 4);
    }

    private static byte[] raw(KeyPair key) {
        byte[] encoded = key.getPublic().getEncoded();
        return Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);
    }

    private static byte[] sign(PrivateKey key, byte[] message) throws Exception {
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(key);
        signer.update(message);
        return signer.sign();
    }

    private static KeyPair ed25519() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        }
        catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static String pem(KeyPair key) {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(key.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n";
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    // ---- the service and the verifier ------------------------------------------------------------------------

    private void append(EventEnvelope... events) {
        List<IncomingEvent> incoming = new ArrayList<>();
        for (EventEnvelope e : events) {
            incoming.add(new IncomingEvent(e, e.source(), null));
        }
        log.append(incoming);
    }

    private static EventEnvelope event(String exchangeId, String type, String from, String to,
            Map<String, Object> data) {
        String source = type.startsWith("evidence.") ? "evidence-exchange-service" : "case-transfer-service";
        return new EventEnvelope(UUID.randomUUID().toString(), source, type, exchangeId,
                Instant.now().truncatedTo(ChronoUnit.MICROS), "corr-bundle", from, to, data);
    }

    private TestHttp.Response get(String path, Caller caller) {
        return TestHttp.get("http://localhost:" + port + path, "X-Chuanyu-Principal",
                TestInfrastructure.token(caller));
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    record Result(int exit, String output) {
    }

    private Result verify(Path bundle, Object... args) throws IOException {
        return run(List.of("-cp", compiledVerifier().toString(), "AuditVerifier"), bundle, args);
    }

    private Result verifyFromSource(Path bundle, Object... args) throws IOException {
        return run(List.of(VERIFIER.toString()), bundle, args);
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

    private Result run(List<String> launch, Path bundle, Object... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(launch);
        cmd.add("verify-bundle");
        cmd.add(bundle.toString());
        for (Object arg : args) {
            cmd.add(arg.toString());
        }
        ChildProcess.Result result = ChildProcess.run(cmd, Duration.ofSeconds(60));
        System.out.println("verify-bundle " + bundle.getFileName() + ": exit " + result.exit() + ": "
                + result.output().trim());
        return new Result(result.exit(), result.output());
    }
}
