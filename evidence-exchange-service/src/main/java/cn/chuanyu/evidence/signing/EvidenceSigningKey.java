package cn.chuanyu.evidence.signing;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Base64;
import java.util.Optional;

import cn.chuanyu.evidence.storage.Sha256;
import cn.chuanyu.kit.crypto.CryptoProperties;
import cn.chuanyu.kit.crypto.Sm2Keys;
import cn.chuanyu.kit.identity.Ed25519Keys;
import cn.chuanyu.kit.identity.Ed25519Signatures;
import cn.chuanyu.kit.keys.KeyFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Ed25519 key that signs manifests. Kept in one PEM file holding the PKCS#8 private key followed by the X.509
 * public key ({@link KeyFiles#ed25519}); made on first start if the file does not exist. The key id
 * is the hex SHA-256 of the public key's DER (SubjectPublicKeyInfo), shortened to 16 characters. While the SM2
 * suite is on, an SM2 key kept beside it ({@link Sm2Keys#fileBeside}) signs the same manifest bytes too; its key id
 * follows the same rule.
 */
public class EvidenceSigningKey {

    private static final Logger log = LoggerFactory.getLogger(EvidenceSigningKey.class);

    private final PrivateKey privateKey;
    private final PublicKey publicKey;
    private final String keyId;
    private final KeyPair sm2;

    EvidenceSigningKey(PrivateKey privateKey, PublicKey publicKey) {
        this(privateKey, publicKey, null);
    }

    EvidenceSigningKey(PrivateKey privateKey, PublicKey publicKey, KeyPair sm2) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
        this.keyId = Sha256.hexOf(publicKey.getEncoded()).substring(0, 16);
        this.sm2 = sm2;
    }

    /** Loads the key from {@code file}, generating it there first if it does not exist yet. */
    public static EvidenceSigningKey loadOrCreate(Path file) {
        return loadOrCreate(file, CryptoProperties.sm2Enabled(false));
    }

    /** As above, with the SM2 key beside it (made on first start too) while the SM2 suite is on. */
    public static EvidenceSigningKey loadOrCreate(Path file, CryptoProperties crypto) {
        KeyPair pair = KeyFiles.ed25519(file);
        KeyPair sm2 = crypto.sm2Enabled() ? Sm2Keys.keyFile(Sm2Keys.fileBeside(file)) : null;
        EvidenceSigningKey key = new EvidenceSigningKey(pair.getPrivate(), pair.getPublic(), sm2);
        log.info("evidence signing key {} loaded from {}", key.keyId, file.toAbsolutePath());
        key.sm2KeyId().ifPresent(id -> log.info("evidence SM2 signing key {} loaded from {}", id,
                Sm2Keys.fileBeside(file).toAbsolutePath()));
        return key;
    }

    /** The DER SM2 signature (SM3, default user id) of {@code data}, base64; empty while the SM2 suite is off. */
    public Optional<String> sm2SignatureBase64(byte[] data) {
        return Optional.ofNullable(sm2)
                .map(k -> Base64.getEncoder().encodeToString(Sm2Keys.sign(k.getPrivate(), data)));
    }

    /** The SM2 public key as PEM (SubjectPublicKeyInfo); empty while the SM2 suite is off. */
    public Optional<String> sm2PublicKeyPem() {
        return Optional.ofNullable(sm2).map(k -> Sm2Keys.toPem(k.getPublic()));
    }

    /** The SM2 key's id: hex SHA-256 of its SubjectPublicKeyInfo DER, 16 characters, as for the Ed25519 key. */
    public Optional<String> sm2KeyId() {
        return Optional.ofNullable(sm2).map(k -> Sha256.hexOf(k.getPublic().getEncoded()).substring(0, 16));
    }

    public byte[] sign(byte[] data) {
        try {
            return Ed25519Signatures.sign(privateKey, data);
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
            return Ed25519Signatures.verify(key, data, signature);
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
