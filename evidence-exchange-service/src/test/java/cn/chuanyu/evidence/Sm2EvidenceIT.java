package cn.chuanyu.evidence;

import static cn.chuanyu.evidence.EvidenceHttp.CHENGDU_COURT;
import static cn.chuanyu.evidence.EvidenceHttp.CQ_COURT;
import static cn.chuanyu.evidence.EvidenceHttp.createJson;
import static cn.chuanyu.evidence.EvidenceHttp.reprDigest;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Random;

import cn.chuanyu.contracts.AgencyRegistered;
import cn.chuanyu.evidence.EvidenceHttp.Response;
import cn.chuanyu.kit.agency.AgencyDirectory;
import cn.chuanyu.kit.identity.Caller;
import cn.chuanyu.kit.test.OpenSsl;
import cn.chuanyu.kit.test.TestInfrastructure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;
import tools.jackson.databind.JsonNode;

/**
 * The SM2/SM3 suite on evidence: SM3 beside SHA-256 in Repr-Digest both ways and in the manifest, and the manifest's
 * SM2 signature; OpenSSL computes every SM3 and verifies every SM2 signature here.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"chuanyu.crypto.sm2.enabled=true", "spring.rabbitmq.listener.simple.auto-startup=false"})
class Sm2EvidenceIT {

    static final Path DIR = tempDir();

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.register(registry, "evidence_sm2");
        registry.add("chuanyu.evidence.store-dir", () -> DIR.resolve("store").toString());
        registry.add("spring.datasource.hikari.maximum-pool-size", () -> "4");
        registry.add("chuanyu.evidence.signing-key-file", () -> DIR.resolve("keys/evidence-ed25519.pem").toString());
        registry.add("chuanyu.identity.service-key-file",
                () -> DIR.resolve("keys/evidence-exchange-service-private.pem").toString());
    }

    @AfterAll
    static void cleanUp() throws IOException {
        FileSystemUtils.deleteRecursively(DIR);
    }

    @LocalServerPort
    int port;

    @Autowired
    AgencyDirectory agencies;

    @TempDir
    Path tmp;

    EvidenceHttp http;

    @BeforeEach
    void setUp() {
        http = new EvidenceHttp(port);
        for (Caller c : new Caller[] {CHENGDU_COURT, CQ_COURT}) {
            agencies.register(new AgencyRegistered(c.id(), c.id(), c.region(), c.kind()));
        }
    }

    @Test
    void sm3TravelsBesideSha256AndTheManifestCarriesAnSm2SignatureOpenSslVerifies() throws Exception {
        OpenSsl openssl = new OpenSsl(tmp);
        Response created = http.postJson(CHENGDU_COURT, "", createJson("国密", CQ_COURT.id(), null));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = created.json().path("id").asString();

        byte[] report = new byte[400_000];
        new Random(16).nextBytes(report);
        String sm3 = openssl.sm3Hex(report);
        String both = reprDigest(report) + ", sm3=:" + b64(sm3) + ":";

        // A wrong sm3 is refused like a wrong sha-256 (422), even with a right sha-256; nothing is kept.
        String wrongSm3 = reprDigest(report) + ", sm3=:" + b64("00".repeat(32)) + ":";
        Response refused = http.put(CHENGDU_COURT, "/" + id + "/items/report.bin", report,
                "Content-Type", "application/octet-stream", "Repr-Digest", wrongSm3);
        assertThat(refused.status()).as(refused.body()).isEqualTo(422);
        assertThat(refused.json().path("expectedSm3").asString()).isEqualTo("00".repeat(32));
        assertThat(refused.json().path("actualSm3").asString()).isEqualTo(sm3);
        Response wrongSha = http.put(CHENGDU_COURT, "/" + id + "/items/report.bin", report,
                "Content-Type", "application/octet-stream", "Repr-Digest", reprDigest("x".getBytes()) + ", sm3=:"
                        + b64(sm3) + ":");
        assertThat(wrongSha.status()).isEqualTo(422);
        assertThat(wrongSha.json().path("title").asString()).isEqualTo(refused.json().path("title").asString());

        Response put = http.put(CHENGDU_COURT, "/" + id + "/items/report.bin", report,
                "Content-Type", "application/octet-stream", "Repr-Digest", both);
        assertThat(put.status()).as(put.body()).isEqualTo(201);
        assertThat(put.header("Repr-Digest")).isEqualTo(both);
        assertThat(put.json().path("sm3").asString()).isEqualTo(sm3);
        // Without any announced digest the sm3 is computed all the same.
        byte[] note = "笔录\n".getBytes(StandardCharsets.UTF_8);
        assertThat(http.put(CHENGDU_COURT, "/" + id + "/items/note.txt", note, "Content-Type", "text/plain")
                .json().path("sm3").asString()).isEqualTo(openssl.sm3Hex(note));

        Response sealed = http.post(CHENGDU_COURT, "/" + id + "/seal");
        assertThat(sealed.status()).as(sealed.body()).isEqualTo(200);
        JsonNode manifest = sealed.json();
        String canonical = manifest.path("canonical").asString();
        assertThat(canonical).contains("\"sha256\":\"" + EvidenceHttp.hex(report) + "\",\"size\":" + report.length
                + ",\"sm3\":\"" + sm3 + "\"");
        for (JsonNode item : manifest.path("manifest").path("items")) {
            assertThat(item.path("sm3").asString()).matches("[0-9a-f]{64}");
        }

        // The manifest's SM2 signature, over the same canonical bytes, checked by OpenSSL with the published key.
        Response sm2Key = http.get(CHENGDU_COURT, "/signing-key?suite=sm2");
        assertThat(sm2Key.status()).as(sm2Key.body()).isEqualTo(200);
        assertThat(sm2Key.json().path("algorithm").asString()).isEqualTo("SM2");
        String pem = sm2Key.json().path("publicKeyPem").asString();
        assertThat(pem).startsWith("-----BEGIN PUBLIC KEY-----").isEqualTo(manifest.path("signingPublicKeySm2Pem")
                .asString());
        byte[] der = Base64.getDecoder().decode(manifest.path("signatureSm2").asString());
        byte[] bytes = canonical.getBytes(StandardCharsets.UTF_8);
        assertThat(openssl.verifySm2(pem, bytes, der)).isTrue();
        bytes[bytes.length - 2] ^= 1;
        assertThat(openssl.verifySm2(pem, bytes, der)).isFalse();
        // The Ed25519 key is served as before.
        assertThat(http.get(CHENGDU_COURT, "/signing-key").json().path("algorithm").asString()).isEqualTo("Ed25519");

        Response download = http.get(CQ_COURT, "/" + id + "/items/report.bin");
        assertThat(download.status()).isEqualTo(200);
        assertThat(download.header("Repr-Digest")).isEqualTo(both);
        Path downloaded = Files.write(tmp.resolve("downloaded.bin"), download.bytes());
        assertThat(openssl.sm3Hex(downloaded)).isEqualTo(sm3);
    }

    @Test
    void anUnknownSuiteIsA400NamingTheParameter() {
        Response response = http.get(CHENGDU_COURT, "/signing-key?suite=rsa");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.body()).contains("suite");
    }

    private static String b64(String hex) {
        return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex));
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("evidence-sm2-it-");
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
