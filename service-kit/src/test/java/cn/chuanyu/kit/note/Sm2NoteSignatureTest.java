package cn.chuanyu.kit.note;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

import cn.chuanyu.kit.crypto.CryptoProperties;
import cn.chuanyu.kit.crypto.Sm2Keys;
import cn.chuanyu.kit.keys.KeyFiles;
import cn.chuanyu.kit.test.OpenSsl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SM2 line of a signed note: after the unchanged Ed25519 line, ignored by Ed25519 verifiers, OpenSSL-checked. */
class Sm2NoteSignatureTest {

    private static final String NAME = "chuanyu.exchange/audit-log";
    private static final String TEXT = NAME + "\n7\nq1vRW4Jv0mZ8n6oEo5HzYF8GpL0sUZEeP3h3mZcv3iA=\n";

    @TempDir
    Path dir;

    @Test
    void theSm2LineFollowsTheUnchangedEd25519LineAndOpenSslVerifiesIt() throws Exception {
        Path edFile = dir.resolve("log-ed25519.key");
        NoteSigner both = NoteSigners.load(NAME, edFile, CryptoProperties.sm2Enabled(true));
        NoteSigner edOnly = NoteSigners.load(NAME, edFile, CryptoProperties.sm2Enabled(false));

        String note = both.sign(TEXT);
        String[] lines = note.substring(TEXT.length() + 1).split("\n");

        assertThat(lines).hasSize(2);
        // Ed25519 is deterministic: the first line is exactly the note an SM2-less signer makes.
        assertThat(TEXT + "\n" + lines[0] + "\n").isEqualTo(edOnly.sign(TEXT));
        assertThat(lines[1]).startsWith("\u2014 " + NAME + " ");

        // The key id, computed here from the README's rule, not by the code under test.
        KeyPair sm2 = Sm2Keys.keyFile(dir.resolve("log-sm2.key"));
        ByteArrayOutputStream preimage = new ByteArrayOutputStream();
        preimage.write((NAME + "\n").getBytes(StandardCharsets.UTF_8));
        preimage.write(0xff);
        preimage.write("chuanyu-sm2-sm3".getBytes(StandardCharsets.US_ASCII));
        preimage.write(sm2.getPublic().getEncoded());
        byte[] expectedId = Arrays.copyOf(MessageDigest.getInstance("SHA-256").digest(preimage.toByteArray()), 4);

        byte[] blob = Base64.getDecoder().decode(lines[1].substring(lines[1].lastIndexOf(' ') + 1));
        assertThat(Arrays.copyOf(blob, 4)).isEqualTo(expectedId);
        assertThat(both.sm2().orElseThrow().verifierKey()).startsWith(NAME + "+" + HexFormat.of().formatHex(expectedId)
                + "+");
        byte[] der = Arrays.copyOfRange(blob, 4, blob.length);
        assertThat(der[0]).isEqualTo((byte) 0x30); // a DER SEQUENCE of r and s

        OpenSsl openssl = new OpenSsl(dir);
        String pem = both.sm2().orElseThrow().publicKeyPem();
        assertThat(openssl.verifySm2(pem, TEXT.getBytes(StandardCharsets.UTF_8), der)).isTrue();
        assertThat(openssl.verifySm2(pem, TEXT.replace("\n7\n", "\n8\n").getBytes(StandardCharsets.UTF_8), der))
                .isFalse();
    }

    @Test
    void anEd25519VerifierIgnoresTheSm2LineAndTheSm2VerifierTheEd25519One() {
        NoteSigner both = NoteSigners.load(NAME, dir.resolve("n-ed25519.key"), CryptoProperties.sm2Enabled(true));
        String note = both.sign(TEXT);

        assertThat(NoteVerifier.of(both.verifierKey()).verify(note)).isEqualTo(TEXT);
        assertThat(Sm2NoteSignature.verify(note, NAME, both.sm2().orElseThrow().publicKey())).isEqualTo(TEXT);

        // The Ed25519 line alone: the SM2 verifier finds no line of its key id.
        String edOnly = note.substring(0, note.lastIndexOf('\u2014'));
        assertThatThrownBy(() -> Sm2NoteSignature.verify(edOnly, NAME, both.sm2().orElseThrow().publicKey()))
                .hasMessageContaining("no SM2 signature");
        // SM2 line first, or alone: the Ed25519 verifier still finds (or misses) its own line by key id.
        String[] parts = note.split("\n\n");
        String[] sigs = parts[1].split("\n");
        assertThat(NoteVerifier.of(both.verifierKey()).verify(parts[0] + "\n\n" + sigs[1] + "\n" + sigs[0] + "\n"))
                .isEqualTo(TEXT);
        assertThatThrownBy(() -> NoteVerifier.of(both.verifierKey()).verify(parts[0] + "\n\n" + sigs[1] + "\n"))
                .hasMessageContaining("no signature");
    }

    @Test
    void aNoteWhoseTextChangedFailsTheSm2Check() {
        NoteSigner both = NoteSigners.load(NAME, dir.resolve("t-ed25519.key"), CryptoProperties.sm2Enabled(true));
        String forged = both.sign(TEXT).replace("\n7\n", "\n8\n");
        assertThatThrownBy(() -> Sm2NoteSignature.verify(forged, NAME, both.sm2().orElseThrow().publicKey()))
                .hasMessageContaining("does not verify");
    }

    @Test
    void anOpenSslMadeSm2LineVerifiesInJava() throws Exception {
        OpenSsl openssl = new OpenSsl(dir);
        String pem = openssl.newSm2Key();
        Path file = dir.resolve("o-sm2.key");
        java.nio.file.Files.writeString(file, pem);
        KeyPair keys = Sm2Keys.keyFile(file);
        byte[] der = openssl.signSm2(pem.substring(0, pem.indexOf("-----BEGIN PUBLIC KEY-----")),
                TEXT.getBytes(StandardCharsets.UTF_8));
        byte[] id = Sm2NoteSignature.keyId(NAME, keys.getPublic());
        byte[] blob = new byte[4 + der.length];
        System.arraycopy(id, 0, blob, 0, 4);
        System.arraycopy(der, 0, blob, 4, der.length);
        NoteSigner ed = new NoteSigner(NAME, KeyFiles.ed25519(dir.resolve("o-ed25519.key")));
        String note = ed.sign(TEXT) + "\u2014 " + NAME + " " + Base64.getEncoder().encodeToString(blob) + "\n";

        assertThat(Sm2NoteSignature.verify(note, NAME, keys.getPublic())).isEqualTo(TEXT);
    }

    @Test
    void withSm2OffANoteHasOneLine() {
        NoteSigner ed = NoteSigners.load(NAME, dir.resolve("off-ed25519.key"), CryptoProperties.sm2Enabled(false));
        assertThat(ed.sign(TEXT).split("\u2014")).hasSize(2);
        assertThat(ed.sm2()).isEmpty();
        assertThat(dir.resolve("off-sm2.key")).doesNotExist();
    }
}
