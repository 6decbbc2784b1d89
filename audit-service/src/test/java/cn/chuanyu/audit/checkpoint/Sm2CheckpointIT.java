package cn.chuanyu.audit.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;

import cn.chuanyu.audit.AuditTestSupport;
import cn.chuanyu.contracts.AgencyKind;
import cn.chuanyu.contracts.Region;
import cn.chuanyu.contracts.Role;
import cn.chuanyu.kit.identity.Caller;
import cn.chuanyu.kit.note.NoteVerifier;
import cn.chuanyu.kit.test.OpenSsl;
import cn.chuanyu.kit.test.TestHttp;
import cn.chuanyu.kit.test.TestInfrastructure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * With the SM2 suite on, the published checkpoint carries an SM2 line after the Ed25519 one, and OpenSSL verifies it
 * with the PEM from {@code /public-key?suite=sm2}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.rabbitmq.listener.simple.auto-startup=false", "chuanyu.audit.sign-interval=1h",
            "chuanyu.crypto.sm2.enabled=true"})
class Sm2CheckpointIT {

    private static final Caller AGENCY = new Caller("sc-chengdu-intermediate-court", Role.AGENCY, Region.SC, AgencyKind.COURT);

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        AuditTestSupport.register(registry, "audit_sm2");
    }

    @LocalServerPort
    int port;

    @TempDir
    Path dir;

    @Test
    void theCheckpointsSm2SignatureVerifiesWithOpenSslAndTheServedPem() throws Exception {
        String note = get("/api/v1/audit/checkpoint?fresh=true").body();
        String vkey = get("/api/v1/audit/public-key").body().trim();
        TestHttp.Response pem = get("/api/v1/audit/public-key?suite=sm2");
        assertThat(pem.contentType()).startsWith("text/plain");
        assertThat(pem.body()).startsWith("-----BEGIN PUBLIC KEY-----\n").endsWith("-----END PUBLIC KEY-----\n");
        assertThat(get("/api/v1/audit/public-key?suite=ed25519").body().trim()).isEqualTo(vkey);

        String name = vkey.split("\\+")[0];
        String text = note.substring(0, note.lastIndexOf("\n\n") + 1);
        String[] lines = note.substring(text.length() + 1).split("\n");
        assertThat(lines).hasSize(2);
        // Ed25519 first, as before; an Ed25519-only verifier still accepts the note.
        assertThat(NoteVerifier.of(vkey).verify(note)).isEqualTo(text);
        assertThat(lines[1]).startsWith("\u2014 " + name + " ");
        byte[] blob = Base64.getDecoder().decode(lines[1].substring(lines[1].lastIndexOf(' ') + 1));
        byte[] der = Arrays.copyOfRange(blob, 4, blob.length);

        OpenSsl openssl = new OpenSsl(dir);
        assertThat(openssl.verifySm2(pem.body(), text.getBytes(StandardCharsets.UTF_8), der)).isTrue();
        assertThat(openssl.verifySm2(pem.body(), (text + "x\n").getBytes(StandardCharsets.UTF_8), der)).isFalse();
    }

    @Test
    void anUnknownSuiteIsA400NamingTheParameter() {
        TestHttp.Response response = TestHttp.get("http://localhost:" + port + "/api/v1/audit/public-key?suite=rsa",
                "X-Chuanyu-Principal", TestInfrastructure.token(AGENCY));
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.body()).contains("suite");
    }

    private TestHttp.Response get(String path) {
        TestHttp.Response response = TestHttp.get("http://localhost:" + port + path, "X-Chuanyu-Principal",
                TestInfrastructure.token(AGENCY));
        assertThat(response.status()).as(path + " " + response.body()).isEqualTo(200);
        return response;
    }
}
