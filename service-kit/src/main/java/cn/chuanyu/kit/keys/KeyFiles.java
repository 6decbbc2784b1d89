package cn.chuanyu.kit.keys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import cn.chuanyu.kit.identity.Ed25519Keys;
import cn.chuanyu.kit.identity.Ed25519Signatures;

/**
 * Key files that a service makes on its first start and reads on every later one. Two instances starting together
 * must end up with the same key: the new key is written to a temp file beside the target (owner-only) and then
 * hard-linked to the target name. A link, unlike a rename, fails when the target exists, so the first writer wins
 * and every other instance reads the winner's key. ({@code Files.move(ATOMIC_MOVE)} is {@code rename(2)} on Linux,
 * which replaces: each racer read its own key and the last rename won on disk.)
 */
public final class KeyFiles {

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN (PRIVATE KEY|PUBLIC KEY)-----(.*?)-----END \\1-----", Pattern.DOTALL);

    private KeyFiles() {
    }

    /**
     * The Ed25519 key pair in {@code file}: a PKCS#8 PRIVATE KEY and an X.509 PUBLIC KEY PEM block (Java cannot
     * derive one from the other), as {@code openssl pkey} reads them. Generated there first if the file is missing.
     *
     * @throws IllegalStateException if the file lacks a block or the two halves do not belong together
     */
    public static KeyPair ed25519(Path file) {
        String pem = readOrCreate(file, () -> {
            KeyPair pair = Ed25519Keys.generate();
            return Ed25519Keys.toPem(pair.getPrivate()) + Ed25519Keys.toPem(pair.getPublic());
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
            throw new IllegalStateException(file + " must hold an Ed25519 PRIVATE KEY and its PUBLIC KEY (PEM); "
                    + "for a key made by openssl append the public half: openssl pkey -in " + file
                    + " -pubout >> " + file);
        }
        KeyPair pair = new KeyPair(Ed25519Keys.publicKey(publicPem), Ed25519Keys.privateKey(privatePem));
        requireMatchingHalves(pair, file);
        return pair;
    }

    /**
     * A service's own key pair: the private key in {@code privateKeyFile} (made there on first start, race-free as
     * every key file), the public half written beside it as {@code <name>-public.pem} for the services that trust
     * it, when missing or stale (a deployment may mount both halves read-only).
     */
    public static KeyPair serviceKeyPair(Path privateKeyFile) {
        PrivateKey privateKey = Ed25519Keys.privateKey(
                readOrCreate(privateKeyFile, () -> Ed25519Keys.toPem(Ed25519Keys.generate().getPrivate())));
        PublicKey publicKey = Ed25519Keys.publicKeyOf(privateKey);
        Path publicKeyFile = Ed25519Keys.publicKeyFileFor(privateKeyFile);
        String publicPem = Ed25519Keys.toPem(publicKey);
        try {
            if (!Files.exists(publicKeyFile) || !publicPem.equals(Files.readString(publicKeyFile))) {
                // Replaced whole (rename), so a reader never sees half a file; racers write the same bytes.
                Path temp = Files.createTempFile(publicKeyFile.toAbsolutePath().getParent(),
                        "." + publicKeyFile.getFileName() + "-", ".tmp");
                Files.writeString(temp, publicPem, StandardCharsets.US_ASCII);
                Files.move(temp, publicKeyFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException("cannot write the public key " + publicKeyFile.toAbsolutePath(), ex);
        }
        return new KeyPair(publicKey, privateKey);
    }

    /**
     * The text of {@code file} (US-ASCII), after writing {@code newContent} there if the file did not exist. The
     * file and the directories made for it are owner-only where the file system is POSIX.
     */
    public static String readOrCreate(Path file, Supplier<String> newContent) {
        try {
            if (!Files.exists(file)) {
                create(file, newContent.get());
            }
            return Files.readString(file, StandardCharsets.US_ASCII);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("cannot read or create the key file " + file.toAbsolutePath(), ex);
        }
    }

    private static void create(Path file, String content) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, "." + file.getFileName() + "-", ".tmp");
        try {
            try {
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
            }
            catch (UnsupportedOperationException ex) {
                // Not a POSIX file system: rely on the directory's protection.
            }
            Files.writeString(temp, content, StandardCharsets.US_ASCII);
            try (var channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.force(true); // the link must never name a file whose bytes a crash could lose
            }
            try {
                Files.createLink(file, temp);
            }
            catch (FileAlreadyExistsException ex) {
                // Another instance was first: its key is the key.
            }
            catch (UnsupportedOperationException ex) {
                // No hard links here: a plain move (no REPLACE_EXISTING) still never overwrites a key on disk.
                try {
                    Files.move(temp, file);
                }
                catch (FileAlreadyExistsException lost) {
                    // Another instance was first.
                }
            }
        }
        finally {
            Files.deleteIfExists(temp);
        }
    }

    private static void requireMatchingHalves(KeyPair pair, Path file) {
        try {
            byte[] probe = "chuanyu key check".getBytes(StandardCharsets.US_ASCII);
            if (!Ed25519Signatures.verify(pair.getPublic(), probe, Ed25519Signatures.sign(pair.getPrivate(), probe))) {
                throw new IllegalStateException("the private and public keys in " + file + " do not belong together");
            }
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException("the keys in " + file + " are not Ed25519 keys", ex);
        }
    }
}
