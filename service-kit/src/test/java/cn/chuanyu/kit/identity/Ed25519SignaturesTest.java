package cn.chuanyu.kit.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

/** The BouncyCastle path must make and accept exactly what the JDK's Ed25519 makes and accepts. */
class Ed25519SignaturesTest {

    private static final byte[] MESSAGE = "cy2|gateway|case-transfer-service|GET|…".getBytes(StandardCharsets.UTF_8);

    @Test
    void signaturesAreTheJdksBytesAndVerifyBothWays() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] ours = Ed25519Signatures.sign(pair.getPrivate(), MESSAGE);
        Signature jdk = Signature.getInstance("Ed25519");
        jdk.initSign(pair.getPrivate());
        jdk.update(MESSAGE);
        byte[] theirs = jdk.sign();
        assertThat(HexFormat.of().formatHex(ours)).isEqualTo(HexFormat.of().formatHex(theirs));
        assertThat(Ed25519Signatures.verify(pair.getPublic(), MESSAGE, theirs)).isTrue();
    }

    @Test
    void refusesAChangedMessageSignatureOrKey() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        KeyPair other = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] signature = Ed25519Signatures.sign(pair.getPrivate(), MESSAGE);
        byte[] changed = MESSAGE.clone();
        changed[0] ^= 1;
        byte[] flipped = signature.clone();
        flipped[10] ^= 1;
        assertThat(Ed25519Signatures.verify(pair.getPublic(), changed, signature)).isFalse();
        assertThat(Ed25519Signatures.verify(pair.getPublic(), MESSAGE, flipped)).isFalse();
        assertThat(Ed25519Signatures.verify(other.getPublic(), MESSAGE, signature)).isFalse();
        assertThat(Ed25519Signatures.verify(pair.getPublic(), MESSAGE, new byte[63])).isFalse();
    }

    @Test
    void refusesKeysOfAnotherAlgorithm() throws Exception {
        KeyPair ec = KeyPairGenerator.getInstance("EC").generateKeyPair();
        assertThatThrownBy(() -> Ed25519Signatures.sign(ec.getPrivate(), MESSAGE)).isInstanceOf(InvalidKeyException.class);
        assertThatThrownBy(() -> Ed25519Signatures.verify(ec.getPublic(), MESSAGE, new byte[64]))
                .isInstanceOf(InvalidKeyException.class);
    }
}
