package cn.chuanyu.witness.cosign;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import cn.chuanyu.kit.crypto.Sm2Keys;
import cn.chuanyu.kit.tlog.CosignatureVerifier;
import cn.chuanyu.kit.tlog.Sm2Cosignature;
import cn.chuanyu.kit.tlog.SignedNote;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/** The witness as a process answers: the HTTP shapes of C2SP tlog-witness, its key, its health and metrics. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class WitnessIT {

    static final Path DIR;
    static final TestLog LOG = new TestLog("chuanyu.test/audit-log").grow(12);
    static final TestLog OTHER = new TestLog("chuanyu.test/second-log").grow(3);

    static {
        try {
            DIR = Files.createTempDirectory("witness-it-");
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("chuanyu.witness.key-file", () -> DIR.resolve("witness-ed25519.key").toString());
        registry.add("chuanyu.crypto.sm2.enabled", () -> "true"); // as the launch recipe runs it
        registry.add("chuanyu.witness.state-dir", () -> DIR.resolve("state").toString());
        // As the launch recipe sets it: comma-separated verifier keys.
        registry.add("chuanyu.witness.logs", () -> LOG.signer.verifierKey() + "," + OTHER.signer.verifierKey());
    }

    @LocalServerPort
    int port;

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void speaksTlogWitnessOverHttp() throws Exception {
        HttpResponse<String> key = get("/api/v1/witness/public-key");
        assertThat(key.statusCode()).isEqualTo(200);
        CosignatureVerifier verifier = CosignatureVerifier.of(key.body().trim());
        assertThat(verifier.name()).isEqualTo("witness.chuanyu.local");

        HttpResponse<String> sm2Key = get("/api/v1/witness/public-key?suite=sm2");
        assertThat(sm2Key.statusCode()).isEqualTo(200);
        assertThat(sm2Key.body()).startsWith("-----BEGIN PUBLIC KEY-----");
        assertThat(DIR.resolve("witness-sm2.key")).exists(); // beside witness-ed25519.key
        assertThat(get("/api/v1/witness/public-key?suite=ed25519").body()).isEqualTo(key.body());
        HttpResponse<String> badSuite = get("/api/v1/witness/public-key?suite=rsa");
        assertThat(badSuite.statusCode()).isEqualTo(400);
        assertThat(badSuite.body()).startsWith("suite:");

        HttpResponse<String> cosigned = post(LOG.request(0, 12));
        assertThat(cosigned.statusCode()).as(cosigned.body()).isEqualTo(200);
        assertThat(cosigned.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
                .startsWith("text/plain"));
        String[] lines = cosigned.body().split("\n");
        assertThat(lines).hasSize(2);
        String body = SignedNote.parse(LOG.checkpoint(12)).text();
        assertThat(verifier.verifyLine(body, lines[0])).isPresent(); // Ed25519 first, unchanged
        assertThat(Sm2Cosignature.verifyLine(body, lines[1], verifier.name(), Sm2Keys.publicKey(sm2Key.body())))
                .isPresent();
        assertThat(verifier.find(SignedNote.parse(LOG.checkpoint(12)).withSignatures(List.of(lines))
                .format())).isPresent();
        assertThat(post(OTHER.request(0, 3)).statusCode()).isEqualTo(200);

        HttpResponse<String> conflict = post(LOG.request(0, 12));
        assertThat(conflict.statusCode()).isEqualTo(409);
        assertThat(conflict.headers().firstValue("Content-Type")).hasValue("text/x.tlog.size");
        assertThat(conflict.body()).isEqualTo("12\n");

        LOG.grow(4);
        LOG.rewrite(0);
        HttpResponse<String> refused = post(LOG.request(12, 16));
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(refused.body()).contains("does not verify");

        assertThat(post("garbage").statusCode()).isEqualTo(400);
        assertThat(get("/actuator/health").body()).contains("UP");
        assertThat(get("/actuator/prometheus").body()).contains("chuanyu_witness_add_checkpoint_total{status=\"422\"}");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/witness/add-checkpoint"))
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
