package cn.chuanyu.kit.note;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

import cn.chuanyu.kit.crypto.Sm2Keys;

/**
 * The SM2 signature line of a C2SP signed note. The signed-note spec assigns no type byte to SM2, so it uses the
 * reserved type {@code 0xff} followed by the identifier {@value #IDENTIFIER}:
 * <pre>
 *   key id    = SHA-256(name || 0x0A || 0xff || "chuanyu-sm2-sm3" || SubjectPublicKeyInfo DER)[:4]
 *   line      = "— " name " " base64(key id || DER SM2 signature over the note text)
 *   verifier  = name "+" hex(key id) "+" base64(0xff || "chuanyu-sm2-sm3" || SubjectPublicKeyInfo DER)
 * </pre>
 * The signature is SM2 with SM3 and the default user identifier 1234567812345678 (GB/T 32918) over the note text
 * including its final newline. The line sits under the same key name as the Ed25519 line; a verifier that does not
 * know this type finds no key of that id and ignores it, as the format requires.
 */
public final class Sm2NoteSignature {

    /** The signed-note signature type reserved for types without an assigned byte. */
    public static final byte ALG_RESERVED = (byte) 0xff;

    /** Follows {@link #ALG_RESERVED} in the key id and verifier key; documented in the README. */
    public static final String IDENTIFIER = "chuanyu-sm2-sm3";

    private static final byte[] IDENTIFIER_BYTES = IDENTIFIER.getBytes(StandardCharsets.US_ASCII);

    private final String name;
    private final KeyPair keys;
    private final byte[] keyId;

    public Sm2NoteSignature(String name, KeyPair keys) {
        this.name = name;
        this.keys = keys;
        this.keyId = keyId(name, keys.getPublic());
    }

    public static byte[] keyId(String name, PublicKey sm2PublicKey) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(name.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) '\n');
            sha.update(typedKey(sm2PublicKey));
            return Arrays.copyOf(sha.digest(), 4);
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** {@code 0xff || "chuanyu-sm2-sm3" || SubjectPublicKeyInfo DER}. */
    static byte[] typedKey(PublicKey sm2PublicKey) {
        byte[] spki = sm2PublicKey.getEncoded();
        byte[] typed = new byte[1 + IDENTIFIER_BYTES.length + spki.length];
        typed[0] = ALG_RESERVED;
        System.arraycopy(IDENTIFIER_BYTES, 0, typed, 1, IDENTIFIER_BYTES.length);
        System.arraycopy(spki, 0, typed, 1 + IDENTIFIER_BYTES.length, spki.length);
        return typed;
    }

    public String name() {
        return name;
    }

    public PublicKey publicKey() {
        return keys.getPublic();
    }

    public byte[] keyId() {
        return keyId.clone();
    }

    /** The SubjectPublicKeyInfo PEM, as {@code openssl pkeyutl -verify -pubin -inkey} reads it. */
    public String publicKeyPem() {
        return Sm2Keys.toPem(keys.getPublic());
    }

    /** {@code <name>+<hex key id>+<base64(0xff || "chuanyu-sm2-sm3" || SPKI DER)>}. */
    public String verifierKey() {
        return name + "+" + HexFormat.of().formatHex(keyId) + "+"
                + Base64.getEncoder().encodeToString(typedKey(keys.getPublic()));
    }

    /** The signature line (without its newline) over {@code text}, which ends in its newline. */
    public String line(String text) {
        byte[] signature = Sm2Keys.sign(keys.getPrivate(), text.getBytes(StandardCharsets.UTF_8));
        byte[] blob = new byte[keyId.length + signature.length];
        System.arraycopy(keyId, 0, blob, 0, keyId.length);
        System.arraycopy(signature, 0, blob, keyId.length, signature.length);
        return "\u2014 " + name + " " + Base64.getEncoder().encodeToString(blob);
    }

    /**
     * The text of {@code note} if it carries a valid SM2 signature line of {@code name} by {@code sm2PublicKey};
     * lines of other keys (the Ed25519 one under the same name included) are skipped by their key id.
     *
     * @throws NoteVerifier.InvalidNoteException if the note is malformed or the SM2 signature is missing or wrong
     */
    public static String verify(String note, String name, PublicKey sm2PublicKey) {
        int split = note == null ? -1 : note.lastIndexOf("\n\n");
        if (split < 0 || !note.endsWith("\n")) {
            throw new NoteVerifier.InvalidNoteException("not a signed note: no blank line between text and signatures");
        }
        String text = note.substring(0, split + 1);
        byte[] id = keyId(name, sm2PublicKey);
        boolean found = false;
        for (String line : note.substring(split + 2, note.length() - 1).split("\n", -1)) {
            String[] fields = line.startsWith("\u2014 ") ? line.substring(2).split(" ", -1) : new String[0];
            if (fields.length != 2 || !fields[0].equals(name)) {
                continue;
            }
            byte[] blob;
            try {
                blob = Base64.getDecoder().decode(fields[1]);
            }
            catch (IllegalArgumentException ex) {
                continue;
            }
            if (blob.length < 4 || !Arrays.equals(Arrays.copyOf(blob, 4), id)) {
                continue;
            }
            found = true;
            if (Sm2Keys.verify(sm2PublicKey, text.getBytes(StandardCharsets.UTF_8),
                    Arrays.copyOfRange(blob, 4, blob.length))) {
                return text;
            }
        }
        throw new NoteVerifier.InvalidNoteException(found ? "the SM2 signature of " + name + " does not verify"
                : "the note carries no SM2 signature of " + name);
    }
}
