package cn.chuanyu.kit.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;

import cn.chuanyu.kit.crypto.CryptoProperties;
import cn.chuanyu.kit.note.NoteVerifier;
import cn.chuanyu.kit.test.OpenSsl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With the SM2 suite on, a node's delivery evidences carry an SM2 line that OpenSSL verifies with the node's PEM. */
class NodeIdentitySm2Test {

    @TempDir
    Path dir;

    private NodeIdentity node(boolean sm2) {
        return new NodeIdentity(new NodeProperties("", "sc.chuanyu.local", dir.resolve("node-ed25519.key"), "",
                new NodeProperties.Peer("", "", "", "", "")), CryptoProperties.sm2Enabled(sm2));
    }

    @Test
    void aDeliveryEvidenceCarriesAnSm2SignatureOpenSslVerifies() throws Exception {
        NodeIdentity node = node(true);
        String digest = DeliveryEvidenceNotes.contentDigest("case-transfer.submitted", "id-1", "SC-A", "CQ-B",
                Map.of("title", "t"));
        DeliveryEvidenceNotes.Evidence evidence = new DeliveryEvidenceNotes(node)
                .issue(DeliveryEvidenceNotes.Type.SUBMISSION_ACCEPTED, "id-1", Instant.now(), digest);

        // Callers that know only Ed25519 are unaffected.
        DeliveryEvidenceNotes.verify(evidence, NoteVerifier.of(node.signer().verifierKey()));

        String note = evidence.note();
        String text = note.substring(0, note.lastIndexOf("\n\n") + 1);
        String sm2Line = note.substring(note.lastIndexOf('\u2014'));
        byte[] blob = Base64.getDecoder().decode(sm2Line.substring(sm2Line.lastIndexOf(' ') + 1).strip());
        assertThat(Arrays.copyOf(blob, 4)).isEqualTo(node.sm2().orElseThrow().keyId());
        String pem = node.sm2().orElseThrow().publicKeyPem();
        assertThat(pem).startsWith("-----BEGIN PUBLIC KEY-----\n");
        assertThat(new OpenSsl(dir).verifySm2(pem, text.getBytes(StandardCharsets.UTF_8),
                Arrays.copyOfRange(blob, 4, blob.length))).isTrue();
        assertThat(dir.resolve("node-sm2.key")).exists();
    }

    @Test
    void withTheSuiteOffTheNodeHasNoSm2Key() {
        NodeIdentity node = node(false);
        assertThat(node.sm2()).isEmpty();
        assertThat(node.signer().sign("x\n").split("\u2014")).hasSize(2);
    }
}
