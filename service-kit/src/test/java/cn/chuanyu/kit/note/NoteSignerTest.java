package cn.chuanyu.kit.note;

import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The signed-note format, checked byte for byte against the example of golang.org/x/mod/sumdb/note. */
class NoteSignerTest {

    private static final String VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
    private static final String SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
    private static final String TEXT = "If you think cryptography is the answer to your problem,\n"
            + "then you don't know what your problem is.\n";
    private static final String SIGNED = TEXT + "\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZ"
            + "InNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";

    @Test
    void signsExactlyAsTheGoReferenceDoes() throws Exception {
        // Key material is base64, which may itself contain '+': split after the fixed number of fields.
        byte[] seed = Arrays.copyOfRange(Base64.getDecoder().decode(SKEY.split("\\+", 5)[4]), 1, 33);
        byte[] raw = Arrays.copyOfRange(Base64.getDecoder().decode(VKEY.split("\\+", 3)[2]), 1, 33);
        KeyFactory ed = KeyFactory.getInstance("Ed25519");
        PrivateKey privateKey = ed.generatePrivate(new PKCS8EncodedKeySpec(
                concat(HexFormat.of().parseHex("302e020100300506032b657004220420"), seed)));
        PublicKey publicKey = ed.generatePublic(new X509EncodedKeySpec(
                concat(HexFormat.of().parseHex("302a300506032b6570032100"), raw)));

        NoteSigner signer = new NoteSigner("PeterNeumann", new KeyPair(publicKey, privateKey));

        assertThat(signer.verifierKey()).isEqualTo(VKEY);
        assertThat(signer.sign(TEXT)).isEqualTo(SIGNED);
    }

    @Test
    void refusesNamesAndTextsTheFormatCannotCarry() {
        KeyPair keys = cn.chuanyu.kit.identity.Ed25519Keys.generate();
        assertThatThrownBy(() -> new NoteSigner("has space", keys)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new NoteSigner("a+b", keys)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new NoteSigner("log", keys).sign("no newline"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
