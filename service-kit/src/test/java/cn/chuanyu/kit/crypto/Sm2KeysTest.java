package cn.chuanyu.kit.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Random;

import cn.chuanyu.kit.test.OpenSsl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SM2 and SM3 as OpenSSL 3 sees them: each side checks what the other made. */
class Sm2KeysTest {

    @TempDir
    Path dir;

    @Test
    void everySm2SignatureTheKitMakesVerifiesWithOpenSsl() throws Exception {
        OpenSsl openssl = new OpenSsl(dir);
        KeyPair keys = Sm2Keys.keyFile(dir.resolve("k-sm2.key"));
        byte[] data = "chuanyu.exchange/audit-log\n42\nAAAA\n".getBytes(StandardCharsets.UTF_8);
        byte[] signature = Sm2Keys.sign(keys.getPrivate(), data);

        assertThat(openssl.verifySm2(Sm2Keys.toPem(keys.getPublic()), data, signature)).isTrue();
        byte[] other = "chuanyu.exchange/audit-log\n43\nAAAA\n".getBytes(StandardCharsets.UTF_8);
        assertThat(openssl.verifySm2(Sm2Keys.toPem(keys.getPublic()), other, signature)).isFalse();
    }

    @Test
    void anOpenSslSignatureVerifiesInJavaAndAnOpenSslKeyFileLoads() throws Exception {
        OpenSsl openssl = new OpenSsl(dir);
        String pem = openssl.newSm2Key();
        Path file = dir.resolve("from-openssl-sm2.key");
        Files.writeString(file, pem);
        KeyPair keys = Sm2Keys.keyFile(file);
        byte[] data = "signed by openssl\n".getBytes(StandardCharsets.UTF_8);

        byte[] signature = openssl.signSm2(pem.substring(0, pem.indexOf("-----BEGIN PUBLIC KEY-----")), data);

        assertThat(Sm2Keys.verify(keys.getPublic(), data, signature)).isTrue();
        assertThat(Sm2Keys.verify(keys.getPublic(), "something else\n".getBytes(StandardCharsets.UTF_8), signature))
                .isFalse();
        // The key the kit signs with must also be the one openssl reads from the same file.
        byte[] ours = Sm2Keys.sign(keys.getPrivate(), data);
        assertThat(openssl.verifySm2(Sm2Keys.toPem(keys.getPublic()), data, ours)).isTrue();
    }

    @Test
    void sm3EqualsOpenSslDgst() throws Exception {
        OpenSsl openssl = new OpenSsl(dir);
        byte[] data = new byte[300_000];
        new Random(7).nextBytes(data);
        assertThat(Sm3.hexOf(data)).isEqualTo(openssl.sm3Hex(data));
        // GB/T 32905 appendix A.1: SM3("abc").
        assertThat(Sm3.hexOf("abc".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0")
                .isEqualTo(openssl.sm3Hex("abc".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void theKeyFileIsMadeOnceAndReadBack() {
        Path file = dir.resolve("keys/audit-log-sm2.key");
        KeyPair first = Sm2Keys.keyFile(file);
        KeyPair again = Sm2Keys.keyFile(file);
        assertThat(again.getPublic().getEncoded()).isEqualTo(first.getPublic().getEncoded());
    }

    @Test
    void theSm2FileSitsBesideTheEd25519One() {
        assertThat(Sm2Keys.fileBeside(Path.of("var/keys/audit-log-ed25519.key")))
                .isEqualTo(Path.of("var/keys/audit-log-sm2.key"));
        assertThat(Sm2Keys.fileBeside(Path.of("keys/node.pem"))).isEqualTo(Path.of("keys/node.pem.sm2"));
    }

    @Test
    void anEd25519KeyFileIsNotTakenForAnSm2One() throws Exception {
        Path ed = dir.resolve("ed-ed25519.key");
        cn.chuanyu.kit.keys.KeyFiles.ed25519(ed);
        assertThatThrownBy(() -> Sm2Keys.keyFile(ed)).isInstanceOf(IllegalArgumentException.class);
    }
}
