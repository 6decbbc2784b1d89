package cn.chuanyu.kit.identity;

import java.security.InvalidKeyException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.EdECPrivateKey;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * Ed25519 (RFC 8032) signing and verification on the request path, with BouncyCastle's implementation: the JDK 17
 * provider's costs about ten times the CPU (about 1.4 ms against 0.14 ms per verification on this kind of machine,
 * bench/results/2026-12-02-audit.md), and every request a service accepts verifies one principal token. Signatures
 * are the same bytes either way (Ed25519 is deterministic), so the JDK's keys and verifiers elsewhere interoperate.
 * Converted keys are cached (the first 64: configured keys; a key from elsewhere is converted at each use).
 */
public final class Ed25519Signatures {

    private static final int RAW = 32;
    private static final int CACHED_KEYS = 64;
    private static final Map<PrivateKey, Ed25519PrivateKeyParameters> PRIVATE = new ConcurrentHashMap<>();
    private static final Map<PublicKey, Ed25519PublicKeyParameters> PUBLIC = new ConcurrentHashMap<>();

    private Ed25519Signatures() {
    }

    public static byte[] sign(PrivateKey key, byte[] message) throws InvalidKeyException {
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, privateParameters(key));
        signer.update(message, 0, message.length);
        return signer.generateSignature();
    }

    public static boolean verify(PublicKey key, byte[] message, byte[] signature) throws InvalidKeyException {
        if (signature.length != 64) {
            return false;
        }
        Ed25519Signer verifier = new Ed25519Signer();
        verifier.init(false, publicParameters(key));
        verifier.update(message, 0, message.length);
        return verifier.verifySignature(signature);
    }

    private static Ed25519PrivateKeyParameters privateParameters(PrivateKey key) throws InvalidKeyException {
        Ed25519PrivateKeyParameters cached = PRIVATE.get(key);
        if (cached != null) {
            return cached;
        }
        if (!(key instanceof EdECPrivateKey ed) || !"Ed25519".equals(ed.getParams().getName())
                || ed.getBytes().map(b -> b.length).orElse(0) != RAW) {
            throw new InvalidKeyException("not an Ed25519 private key");
        }
        byte[] raw = ed.getBytes().orElseThrow();
        Ed25519PrivateKeyParameters parameters = new Ed25519PrivateKeyParameters(raw, 0);
        Arrays.fill(raw, (byte) 0);
        if (PRIVATE.size() < CACHED_KEYS) {
            PRIVATE.putIfAbsent(key, parameters);
        }
        return parameters;
    }

    private static Ed25519PublicKeyParameters publicParameters(PublicKey key) throws InvalidKeyException {
        Ed25519PublicKeyParameters cached = PUBLIC.get(key);
        if (cached != null) {
            return cached;
        }
        // X.509 SubjectPublicKeyInfo of Ed25519: a fixed 12-byte prefix (RFC 8410), then the 32-byte key.
        byte[] encoded = key.getEncoded();
        if (!"Ed25519".equals(key.getAlgorithm()) && !"EdDSA".equals(key.getAlgorithm()) || encoded == null
                || encoded.length != 12 + RAW) {
            throw new InvalidKeyException("not an Ed25519 public key");
        }
        Ed25519PublicKeyParameters parameters = new Ed25519PublicKeyParameters(encoded, 12);
        if (PUBLIC.size() < CACHED_KEYS) {
            PUBLIC.putIfAbsent(key, parameters);
        }
        return parameters;
    }
}
