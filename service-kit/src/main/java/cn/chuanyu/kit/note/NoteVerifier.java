package cn.chuanyu.kit.note;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Base64;

import cn.chuanyu.kit.identity.Ed25519Signatures;

/**
 * Checks a C2SP signed note (https://c2sp.org/signed-note) against one trusted Ed25519 verifier key
 * ({@code <name>+<hex key id>+<base64(0x01 || public key)>}): the note must carry a signature line of that name and
 * key id whose signature verifies over the text. Lines of other keys are ignored, as the format allows.
 */
public final class NoteVerifier {

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
        Ed25519NoteKeys.VerifierKey key = Ed25519NoteKeys.parse(verifierKey, NoteSigner.ALG_ED25519, "verifier key");
        return new NoteVerifier(key.name(), key.keyId(), key.publicKey(), key.text());
    }

    public String name() {
        return name;
    }

    public String verifierKey() {
        return verifierKey;
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
            return Ed25519Signatures.verify(publicKey, text.getBytes(StandardCharsets.UTF_8), signature);
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
