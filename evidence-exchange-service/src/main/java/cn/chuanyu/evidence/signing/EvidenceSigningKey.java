package cn.chuanyu.evidence.signing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import cn.chuanyu.evidence.storage.Sha256;
import cn.chuanyu.kit.identity.Ed25519Keys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Ed25519 key that signs manifests. Kept in one PEM file holding the PKCS#8 private key followed by the X.509
 * public key (Java cannot derive one from the other); made on first start if the file does not exist. The key id
 * is the hex SHA-256 of the public key's DER (SubjectPublicKeyInfo), shortened to 16 characters.
 */
public class EvidenceSigningKey {

    private static final Logger log = LoggerFactory.getLogger(EvidenceSigningKey.class);

    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

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
        try {
            if (!Files.exists(file)) {
                create(file);
            }
            return read(file);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("cannot read or create the evidence signing key " + file.toAbsolutePath(),
                    ex);
        }
    }

    private static void create(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        KeyPair pair = Ed25519Keys.generate();
        Path temp = Files.createTempFile(dir, ".evidence-key-", ".tmp");
        try {
            try {
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
            }
            catch (UnsupportedOperationException ex) {
                // Not POSIX: rely on the directory's protection.
            }
            Files.writeString(temp, Ed25519Keys.toPem(pair.getPrivate()) + Ed25519Keys.toPem(pair.getPublic()));
            // No REPLACE_EXISTING: if another instance made the key meanwhile, keep theirs.
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
            log.info("generated the evidence signing key in {}", file.toAbsolutePath());
        }
        catch (FileAlreadyExistsException ex) {
            log.info("evidence signing key {} appeared meanwhile; using it", file);
        }
        finally {
            Files.deleteIfExists(temp);
        }
    }

    private static EvidenceSigningKey read(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        String privatePem = null;
        String publicPem = null;
        Matcher m = PEM.matcher(text);
        while (m.find()) {
            if ("PRIVATE KEY".equals(m.group(1))) {
                privatePem = m.group();
            }
            else if ("PUBLIC KEY".equals(m.group(1))) {
                publicPem = m.group();
            }
        }
        if (privatePem == null || publicPem == null) {
            throw new IllegalStateException(file + " must hold an Ed25519 PRIVATE KEY and its PUBLIC KEY (PEM); "
                    + "for a key made by openssl append the public half: openssl pkey -in " + file
                    + " -pubout >> " + file);
        }
        EvidenceSigningKey key = new EvidenceSigningKey(Ed25519Keys.privateKey(privatePem),
                Ed25519Keys.publicKey(publicPem));
        if (!key.verify("check".getBytes(StandardCharsets.US_ASCII), key.sign("check".getBytes(StandardCharsets.US_ASCII)))) {
            throw new IllegalStateException("the private and public keys in " + file + " do not belong together");
        }
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
