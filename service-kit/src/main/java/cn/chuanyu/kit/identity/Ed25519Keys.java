package cn.chuanyu.kit.identity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/** Reads Ed25519 keys given as PEM (as {@code openssl genpkey -algorithm ed25519} writes them) or bare base64 DER. */
public final class Ed25519Keys {

    private Ed25519Keys() {
    }

    public static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException(ex);
        }
    }

    public static PublicKey publicKey(String pemOrBase64) {
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der(pemOrBase64)));
        }
        catch (GeneralSecurityException | IllegalArgumentException ex) {
            throw new IllegalArgumentException("not an Ed25519 public key (X.509 PEM or base64 DER expected)", ex);
        }
    }

    public static PrivateKey privateKey(String pemOrBase64) {
        try {
            return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der(pemOrBase64)));
        }
        catch (GeneralSecurityException | IllegalArgumentException ex) {
            throw new IllegalArgumentException("not an Ed25519 private key (PKCS#8 PEM or base64 DER expected)");
        }
    }

    public static String toPem(PublicKey key) {
        return pem("PUBLIC KEY", key.getEncoded());
    }

    public static String toPem(PrivateKey key) {
        return pem("PRIVATE KEY", key.getEncoded());
    }

    /** Reads a key from a file if {@code value} starts with {@code file:}, else returns it as given. */
    public static String inlineOrFile(String value) {
        if (value != null && value.startsWith("file:")) {
            try {
                return Files.readString(Path.of(value.substring(5)));
            }
            catch (IOException ex) {
                throw new UncheckedIOException("cannot read key file " + value.substring(5), ex);
            }
        }
        return value;
    }

    /** {@code keys/evidence-exchange-service-private.pem} -> {@code keys/evidence-exchange-service-public.pem}. */
    public static Path publicKeyFileFor(Path privateKeyFile) {
        String name = privateKeyFile.getFileName().toString().replaceFirst("(-private)?\\.pem$", "");
        return privateKeyFile.resolveSibling(name + "-public.pem");
    }

    /** The public half of an Ed25519 private key (PKCS#8 as the JDK writes it carries no public key). */
    public static PublicKey publicKeyOf(PrivateKey key) {
        try {
            var edKey = (java.security.interfaces.EdECPrivateKey) key;
            byte[] seed = edKey.getBytes().orElseThrow();
            // Derive by signing-key generation from the same seed: the JDK has no direct "public of private".
            var generator = KeyPairGenerator.getInstance("Ed25519");
            generator.initialize(java.security.spec.NamedParameterSpec.ED25519, new FixedSeed(seed));
            return generator.generateKeyPair().getPublic();
        }
        catch (GeneralSecurityException | ClassCastException | java.util.NoSuchElementException ex) {
            throw new IllegalArgumentException("not an Ed25519 private key", ex);
        }
    }

    /** Hands the key generator a given seed, so it rebuilds the key pair a private key belongs to. */
    private static final class FixedSeed extends java.security.SecureRandom {

        private final byte[] seed;

        FixedSeed(byte[] seed) {
            this.seed = seed.clone();
        }

        @Override
        public void nextBytes(byte[] bytes) {
            System.arraycopy(seed, 0, bytes, 0, Math.min(seed.length, bytes.length));
        }
    }

    private static byte[] der(String pemOrBase64) {
        String body = pemOrBase64.replaceAll("-----(BEGIN|END) [A-Z ]+-----", "").replaceAll("\\s", "");
        return Base64.getDecoder().decode(body);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
