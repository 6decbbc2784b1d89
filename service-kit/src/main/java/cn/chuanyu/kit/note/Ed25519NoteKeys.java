package cn.chuanyu.kit.note;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The Ed25519 key mechanics that signed notes (type 0x01) and cosignatures (type 0x04) share: a name is a note key
 * name, the key id is SHA-256(name || 0x0A || type || raw key)[:4], and a verifier key reads
 * {@code <name>+<hex key id>+<base64(type || raw key)>}.
 */
public final class Ed25519NoteKeys {

    /** X.509 SubjectPublicKeyInfo of an Ed25519 key: this 12-byte prefix, then the raw 32-byte key. */
    private static final byte[] X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    /** A parsed verifier key whose id matched its name and key. */
    public record VerifierKey(String name, byte[] keyId, PublicKey publicKey, String text) {
    }

    private Ed25519NoteKeys() {
    }

    /** Refuses a name a signature line could not carry. */
    public static String requireName(String name) {
        if (name.isEmpty() || name.chars().anyMatch(c -> Character.isWhitespace(c) || c == '+' || c < 0x20)) {
            throw new IllegalArgumentException("a note key name must be non-empty, without spaces or '+': " + name);
        }
        return name;
    }

    /** The raw 32 bytes of an Ed25519 public key. */
    public static byte[] raw(PublicKey key) {
        byte[] encoded = key.getEncoded();
        byte[] raw = Arrays.copyOfRange(encoded, X509_PREFIX.length, encoded.length);
        if (raw.length != 32) {
            throw new IllegalArgumentException("not an Ed25519 public key");
        }
        return raw;
    }

    /** SHA-256(name || "\n" || type || raw key)[:4]. */
    public static byte[] keyId(String name, byte type, byte[] raw) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(name.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) '\n');
            sha.update(type);
            sha.update(raw);
            return Arrays.copyOf(sha.digest(), 4);
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** {@code <name>+<hex key id>+<base64(type || raw key)>}. */
    public static String verifierKey(String name, byte type, byte[] raw) {
        byte[] typed = new byte[1 + raw.length];
        typed[0] = type;
        System.arraycopy(raw, 0, typed, 1, raw.length);
        return name + "+" + HexFormat.of().formatHex(keyId(name, type, raw)) + "+"
                + Base64.getEncoder().encodeToString(typed);
    }

    /**
     * Parses a verifier key of {@code type}; refuses a malformed one, one of another type, and one whose id does not
     * match its name and key (a typo or a forgery). {@code what} names the key in messages.
     */
    public static VerifierKey parse(String verifierKey, byte type, String what) {
        // The base64 part may itself hold '+': split off the name and the id only.
        String[] parts = verifierKey == null ? new String[0] : verifierKey.trim().split("\\+", 3);
        if (parts.length != 3 || parts[0].isEmpty() || parts[1].length() != 8) {
            throw new IllegalArgumentException("a " + what + " is <name>+<8 hex digits>+<base64 key>");
        }
        byte[] id;
        byte[] typed;
        try {
            id = HexFormat.of().parseHex(parts[1]);
            typed = Base64.getDecoder().decode(parts[2]);
        }
        catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException("a " + what + " is <name>+<8 hex digits>+<base64 key>", ex);
        }
        if (typed.length != 33 || typed[0] != type) {
            throw new IllegalArgumentException("a " + what + " must be an Ed25519 key of type 0x0" + type
                    + " (32 bytes)");
        }
        byte[] raw = Arrays.copyOfRange(typed, 1, typed.length);
        if (!Arrays.equals(id, keyId(parts[0], type, raw))) {
            throw new IllegalArgumentException("the " + what + "'s id does not match its name and key");
        }
        return new VerifierKey(parts[0], id, publicKey(raw), parts[0] + "+" + parts[1] + "+" + parts[2]);
    }

    /** The raw 32-byte key wrapped as X.509 for the JDK. */
    public static PublicKey publicKey(byte[] raw) {
        byte[] encoded = new byte[X509_PREFIX.length + raw.length];
        System.arraycopy(X509_PREFIX, 0, encoded, 0, X509_PREFIX.length);
        System.arraycopy(raw, 0, encoded, X509_PREFIX.length, raw.length);
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(encoded));
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalArgumentException("not an Ed25519 public key", ex);
        }
    }
}
