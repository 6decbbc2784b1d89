package cn.chuanyu.kit.crypto;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import cn.chuanyu.kit.keys.KeyFiles;
import org.bouncycastle.jcajce.spec.SM2ParameterSpec;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * SM2 keys and signatures (GB/T 32918) through BouncyCastle: curve sm2p256v1, the message digest SM3 over
 * Z_A || message with the default user identifier {@value #DEFAULT_USER_ID}, the signature DER-encoded
 * (SEQUENCE of r and s), exactly what {@code openssl pkeyutl -sign -rawin -digest sm3 -pkeyopt
 * distid:1234567812345678} makes and checks. Key files hold a PKCS#8 PRIVATE KEY and the X.509 PUBLIC KEY (PEM), as
 * Ed25519 key files do.
 */
public final class Sm2Keys {

    /** GB/T 32918 (and GM/T 0009) default signer identity when the parties agree on none. */
    public static final String DEFAULT_USER_ID = "1234567812345678";

    /**
     * The provider instance the kit uses, not registered globally: a JVM-wide {@code Security.addProvider} would
     * change which implementation every other JCA call in the service gets.
     */
    static final Provider PROVIDER = new BouncyCastleProvider();

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN (PRIVATE KEY|PUBLIC KEY)-----(.*?)-----END \\1-----", Pattern.DOTALL);

    private Sm2Keys() {
    }

    public static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", PROVIDER);
            generator.initialize(new ECGenParameterSpec("sm2p256v1"));
            return generator.generateKeyPair();
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException("cannot make an SM2 key", ex);
        }
    }

    /**
     * The SM2 key file kept beside an Ed25519 one: the same name with {@code ed25519} replaced by {@code sm2}
     * ({@code var/keys/audit-log-ed25519.key} → {@code var/keys/audit-log-sm2.key}), or {@code .sm2} appended when
     * the name does not say {@code ed25519}.
     */
    public static Path fileBeside(Path ed25519KeyFile) {
        String name = ed25519KeyFile.getFileName().toString();
        String sm2 = name.contains("ed25519") ? name.replace("ed25519", "sm2") : name + ".sm2";
        return ed25519KeyFile.resolveSibling(sm2);
    }

    /**
     * The SM2 key pair in {@code file}, made there on first start; race-free as every key file
     * ({@link KeyFiles#readOrCreate}): instances starting together end up with the first writer's key.
     *
     * @throws IllegalStateException if the file lacks a block, holds no SM2 key, or its halves do not belong together
     */
    public static KeyPair keyFile(Path file) {
        String pem = KeyFiles.readOrCreate(file, () -> {
            KeyPair pair = generate();
            return toPem(pair.getPrivate()) + toPem(pair.getPublic());
        });
        String privatePem = null;
        String publicPem = null;
        Matcher m = BLOCK.matcher(pem);
        while (m.find()) {
            if (m.group(1).equals("PRIVATE KEY")) {
                privatePem = m.group();
            }
            else {
                publicPem = m.group();
            }
        }
        if (privatePem == null || publicPem == null) {
            throw new IllegalStateException(file + " must hold an SM2 PRIVATE KEY and its PUBLIC KEY (PEM); for a key "
                    + "made by openssl append the public half: openssl pkey -in " + file + " -pubout >> " + file);
        }
        KeyPair pair = new KeyPair(publicKey(publicPem), privateKey(privatePem));
        byte[] probe = "chuanyu key check".getBytes(StandardCharsets.US_ASCII);
        if (!verify(pair.getPublic(), probe, sign(pair.getPrivate(), probe))) {
            throw new IllegalStateException("the private and public keys in " + file + " do not belong together");
        }
        return pair;
    }

    /** An SM2 public key from PEM ({@code -----BEGIN PUBLIC KEY-----}, SubjectPublicKeyInfo) or bare base64 DER. */
    public static PublicKey publicKey(String pemOrBase64) {
        try {
            PublicKey key = KeyFactory.getInstance("EC", PROVIDER).generatePublic(new X509EncodedKeySpec(der(pemOrBase64)));
            requireSm2Curve(key.getEncoded());
            return key;
        }
        catch (GeneralSecurityException | IllegalArgumentException ex) {
            throw new IllegalArgumentException("not an SM2 public key", ex);
        }
    }

    public static PrivateKey privateKey(String pemOrBase64) {
        try {
            return KeyFactory.getInstance("EC", PROVIDER).generatePrivate(new PKCS8EncodedKeySpec(der(pemOrBase64)));
        }
        catch (GeneralSecurityException | IllegalArgumentException ex) {
            throw new IllegalArgumentException("not an SM2 private key", ex);
        }
    }

    /** {@code -----BEGIN PUBLIC KEY-----}: the SubjectPublicKeyInfo DER (id-ecPublicKey, curve 1.2.156.10197.1.301). */
    public static String toPem(PublicKey key) {
        return pem("PUBLIC KEY", key.getEncoded());
    }

    public static String toPem(PrivateKey key) {
        return pem("PRIVATE KEY", key.getEncoded());
    }

    /** The DER-encoded SM2 signature of {@code data} (SM3, default user identifier). */
    public static byte[] sign(PrivateKey key, byte[] data) {
        try {
            Signature signer = Signature.getInstance("SM3withSM2", PROVIDER);
            signer.setParameter(new SM2ParameterSpec(DEFAULT_USER_ID.getBytes(StandardCharsets.US_ASCII)));
            signer.initSign(key);
            signer.update(data);
            return signer.sign();
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException("cannot sign with the SM2 key", ex);
        }
    }

    /** True if {@code signature} (DER) is a valid SM2 signature of {@code data} by {@code key}; false otherwise. */
    public static boolean verify(PublicKey key, byte[] data, byte[] signature) {
        try {
            Signature verifier = Signature.getInstance("SM3withSM2", PROVIDER);
            verifier.setParameter(new SM2ParameterSpec(DEFAULT_USER_ID.getBytes(StandardCharsets.US_ASCII)));
            verifier.initVerify(key);
            verifier.update(data);
            return verifier.verify(signature);
        }
        catch (GeneralSecurityException | RuntimeException ex) {
            return false; // a malformed DER signature is simply not a valid one
        }
    }

    /** The curve OID 1.2.156.10197.1.301 (sm2p256v1) in DER: an EC key on another curve is no SM2 key. */
    private static final byte[] SM2_CURVE_OID = {0x06, 0x08, 0x2a, (byte) 0x81, 0x1c, (byte) 0xcf, 0x55, 0x01, (byte) 0x82, 0x2d};

    private static void requireSm2Curve(byte[] spki) {
        outer:
        for (int i = 0; i + SM2_CURVE_OID.length <= Math.min(spki.length, 40); i++) {
            for (int j = 0; j < SM2_CURVE_OID.length; j++) {
                if (spki[i + j] != SM2_CURVE_OID[j]) {
                    continue outer;
                }
            }
            return;
        }
        throw new IllegalArgumentException("the key is not on the SM2 curve (sm2p256v1)");
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
