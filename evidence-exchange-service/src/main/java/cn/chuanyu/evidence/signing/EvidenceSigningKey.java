package cn.chuanyu.evidence.signing;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;

import cn.chuanyu.evidence.storage.Sha256;
import cn.chuanyu.kit.identity.Ed25519Keys;
import cn.chuanyu.kit.keys.KeyFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Ed25519 key that signs manifests. Kept in one PEM file holding the PKCS#8 private key followed by the X.509
 * public key ({@link KeyFiles#ed25519}); made on first start if the file does not exist. The key id
 * is the hex SHA-256 of the public key's DER (SubjectPublicKeyInfo), shortened to 16 characters.
 */
public class EvidenceSigningKey {

    private static final Logger log = LoggerFactory.getLogger(EvidenceSigningKey.class);

    private final PrivateKey privateKey;
    private final PublicKey publicKey;
    private final String keyId;

    EvidenceSigningKey(PrivateKey privateKey, PublicKey publicKey) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
        this.keyId = Sha256.hexOf(publicKey.getEncoded()).substring(0, 16);
    }

    /** Loads the key from {@code file}, generating it there first if it does not exist yet. */
    public static EvidenceSigningKey loadOrCreate(Path file) {
        KeyPair pair = KeyFiles.ed25519(file);
        EvidenceSigningKey key = new EvidenceSigningKey(pair.getPrivate(), pair.getPublic());
        log.info("evidence signing key {} loaded from {}", key.keyId, file.toAbsolutePath());
        return key;
    }

    public byte[] sign(byte[] data) {
        try {
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(privateKey);
            signer.update(data);
            return signer.sign();
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException("cannot sign with the evidence key", ex);
        }
    }

    public boolean verify(byte[] data, byte[] signature) {
        return verify(publicKey, data, signature);
    }

    public static boolean verify(PublicKey key, byte[] data, byte[] signature) {
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key);
            verifier.update(data);
            return verifier.verify(signature);
        }
        catch (GeneralSecurityException ex) {
            return false;
        }
    }

    public String keyId() {
        return keyId;
    }

    public String publicKeyPem() {
        return Ed25519Keys.toPem(publicKey);
    }

    public String signatureBase64(byte[] data) {
        return Base64.getEncoder().encodeToString(sign(data));
    }
}
