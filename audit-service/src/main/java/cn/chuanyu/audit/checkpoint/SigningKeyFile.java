package cn.chuanyu.audit.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.Signature;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import cn.chuanyu.kit.identity.Ed25519Keys;

/**
 * The log's Ed25519 key pair, kept in a file outside the database (so whoever can write the database still cannot
 * sign a tree head). Created on first start with owner-only permissions; the file holds the private key (PKCS#8)
 * and the public key (X.509) as PEM blocks, so {@code openssl pkey -in <file>} reads it.
 */
final class SigningKeyFile {

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN (PRIVATE KEY|PUBLIC KEY)-----(.*?)-----END \\1-----", Pattern.DOTALL);

    private SigningKeyFile() {
    }

    static KeyPair loadOrCreate(Path file) {
        try {
            if (!Files.exists(file)) {
                create(file);
            }
            return read(file);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("cannot read or create the audit log signing key " + file, ex);
        }
    }

    private static void create(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        KeyPair keys = Ed25519Keys.generate();
        Path tmp = Files.createTempFile(dir, ".audit-key-", ".tmp");
        try {
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            }
            catch (UnsupportedOperationException ex) {
                // Not a POSIX file system: rely on the directory's protection.
            }
            Files.writeString(tmp, Ed25519Keys.toPem(keys.getPrivate()) + Ed25519Keys.toPem(keys.getPublic()),
                    StandardCharsets.US_ASCII);
            try {
                // A hard link fails if the file exists: when two instances start together, one key wins.
                Files.createLink(file, tmp);
            }
            catch (FileAlreadyExistsException ex) {
                // Another instance was first; use its key.
            }
            catch (UnsupportedOperationException ex) {
                Files.move(tmp, file);
            }
        }
        finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static KeyPair read(Path file) throws IOException {
        String pem = Files.readString(file, StandardCharsets.US_ASCII);
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
            throw new IllegalStateException("audit log signing key file " + file
                    + " must hold a PRIVATE KEY and a PUBLIC KEY block");
        }
        KeyPair keys = new KeyPair(Ed25519Keys.publicKey(publicPem), Ed25519Keys.privateKey(privatePem));
        requireMatchingPair(keys, file);
        return keys;
    }

    private static void requireMatchingPair(KeyPair keys, Path file) {
        try {
            byte[] probe = "chuanyu audit key check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(keys.getPrivate());
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(keys.getPublic());
            verifier.update(probe);
            if (!verifier.verify(signature)) {
                throw new IllegalStateException("the keys in " + file + " do not belong together");
            }
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException("the keys in " + file + " are not Ed25519 keys", ex);
        }
    }
}
