package cn.chuanyu.kit.note;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Checks a C2SP signed note (https://c2sp.org/signed-note) against one trusted Ed25519 verifier key
 * ({@code <name>+<hex key id>+<base64(0x01 || public key)>}): the note must carry a signature line of that name and
 * key id whose signature verifies over the text. Lines of other keys are ignored, as the format allows.
 */
public final class NoteVerifier {

    private static final byte[] X509_ED25519_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    private final String name;
    private final byte[] keyId;
    private final PublicKey publicKey;
    private final String verifierKey;

    private NoteVerifier(String name, byte[] keyId, PublicKey publicKey, String verifierKey) {
        this.name = name;
        this.keyId = keyId;
        this.publicKey = publicKey;
        this.verifierKey = verifierKey;
    }

    /** Parses a verifier key; refuses one whose key id does not match its name and key (a typo or a forgery). */
    public static NoteVerifier of(String verifierKey) {
        // The base64 part may itself hold '+': split off the name and the id only.
        String[] parts = verifierKey == null ? new String[0] : verifierKey.trim().split("\\+", 3);
        if (parts.length != 3 || parts[0].isEmpty() || parts[1].length() != 8) {
            throw new IllegalArgumentException("a verifier key is <name>+<8 hex digits>+<base64 key>");
        }
        byte[] id;
        byte[] typed;
        try {
            id = HexFormat.of().parseHex(parts[1]);
            typed = Base64.getDecoder().decode(parts[2]);
        }
        catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException("a verifier key is <name>+<8 hex digits>+<base64 key>", ex);
        }
        if (typed.length != 33 || typed[0] != NoteSigner.ALG_ED25519) {
            throw new IllegalArgumentException("only Ed25519 verifier keys (type 0x01, 32 bytes) are supported");
        }
        byte[] raw = Arrays.copyOfRange(typed, 1, typed.length);
        if (!Arrays.equals(id, NoteSigner.keyId(parts[0], raw))) {
            throw new IllegalArgumentException("the verifier key's id does not match its name and key");
        }
        return new NoteVerifier(parts[0], id, publicKey(raw), parts[0] + "+" + parts[1] + "+" + parts[2]);
    }

    public String name() {
        return name;
    }

    public String verifierKey() {
        return verifierKey;
    }

    /** The raw 32-byte public key wrapped as X.509 for the JDK. */
    static PublicKey publicKey(byte[] raw) {
        byte[] encoded = new byte[X509_ED25519_PREFIX.length + raw.length];
        System.arraycopy(X509_ED25519_PREFIX, 0, encoded, 0, X509_ED25519_PREFIX.length);
        System.arraycopy(raw, 0, encoded, X509_ED25519_PREFIX.length, raw.length);
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(encoded));
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalArgumentException("not an Ed25519 public key", ex);
        }
    }

    /**
     * The text of {@code note} (ending in its newline) if it carries a valid signature of this key.
     *
     * @throws InvalidNoteException if the note is malformed or this key's signature is missing or wrong
     */
    public String verify(String note) {
        int split = note == null ? -1 : note.lastIndexOf("\n\n");
        if (split < 0 || !note.endsWith("\n")) {
            throw new InvalidNoteException("not a signed note: no blank line between text and signatures");
        }
        String text = note.substring(0, split + 1);
        boolean foundKey = false;
        for (String line : note.substring(split + 2, note.length() - 1).split("\n", -1)) {
            if (!line.startsWith("\u2014 ")) {
                throw new InvalidNoteException("a signature line must start with an em dash and a space");
            }
            String[] fields = line.substring(2).split(" ", -1);
            if (fields.length != 2 || !fields[0].equals(name)) {
                continue;
            }
            byte[] blob;
            try {
                blob = Base64.getDecoder().decode(fields[1]);
            }
            catch (IllegalArgumentException ex) {
                throw new InvalidNoteException("a signature of " + name + " is not base64");
            }
            if (blob.length < 4 || !Arrays.equals(Arrays.copyOf(blob, 4), keyId)) {
                continue;
            }
            foundKey = true;
            if (verifies(text, Arrays.copyOfRange(blob, 4, blob.length))) {
                return text;
            }
        }
        throw new InvalidNoteException(foundKey ? "the signature of " + name + " does not verify"
                : "the note carries no signature of " + name);
    }

    private boolean verifies(String text, byte[] signature) {
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(publicKey);
            verifier.update(text.getBytes(StandardCharsets.UTF_8));
            return verifier.verify(signature);
        }
        catch (GeneralSecurityException ex) {
            return false;
        }
    }

    /** A note that does not verify against the key. */
    public static final class InvalidNoteException extends RuntimeException {
        public InvalidNoteException(String message) {
            super(message);
        }
    }
}
