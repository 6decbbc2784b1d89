package cn.chuanyu.kit.note;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.Base64;
import java.util.Optional;

import cn.chuanyu.kit.identity.Ed25519Signatures;

/**
 * Signs C2SP signed notes (https://c2sp.org/signed-note) with an Ed25519 key: the note text, a blank line, and
 * the line {@code — <name> <base64(key id || signature)>}, where the key id is the first four bytes of
 * SHA-256(name || 0x0A || 0x01 || public key) and the signature covers the text including its final newline.
 * Verifiers name the key as {@code <name>+<hex key id>+<base64(0x01 || public key)>}, as Go's
 * golang.org/x/mod/sumdb/note does. With an SM2 key as well ({@link #withSm2}), a second line under the same name
 * follows the Ed25519 one ({@link Sm2NoteSignature}); the Ed25519 line stays first and byte for byte as before.
 */
public final class NoteSigner {

    /** Signature type byte of Ed25519 in the signed-note spec. */
    public static final byte ALG_ED25519 = 0x01;


    private final String name;
    private final KeyPair keys;
    private final byte[] rawPublicKey;
    private final byte[] keyId;
    private final Sm2NoteSignature sm2;

    public NoteSigner(String name, KeyPair keys) {
        this(name, keys, null);
    }

    private NoteSigner(String name, KeyPair keys, KeyPair sm2Keys) {
        this.name = Ed25519NoteKeys.requireName(name);
        this.keys = keys;
        this.rawPublicKey = Ed25519NoteKeys.raw(keys.getPublic());
        this.keyId = keyId(name, rawPublicKey);
        this.sm2 = sm2Keys == null ? null : new Sm2NoteSignature(name, sm2Keys);
    }

    /** This signer, also signing every note with {@code sm2Keys} (a second line under the same name). */
    public NoteSigner withSm2(KeyPair sm2Keys) {
        return new NoteSigner(name, keys, sm2Keys);
    }

    /** The SM2 signature this signer adds; empty when the SM2 suite is off. */
    public Optional<Sm2NoteSignature> sm2() {
        return Optional.ofNullable(sm2);
    }

    public static byte[] keyId(String name, byte[] rawPublicKey) {
        return Ed25519NoteKeys.keyId(name, ALG_ED25519, rawPublicKey);
    }

    public String name() {
        return name;
    }

    /** {@code <name>+<hex key id>+<base64(0x01 || public key)>}. */
    public String verifierKey() {
        return Ed25519NoteKeys.verifierKey(name, ALG_ED25519, rawPublicKey);
    }

    /** The signed note: {@code text} (which must end in a newline), a blank line, and this key's signature line. */
    public String sign(String text) {
        if (!text.endsWith("\n") || text.contains("\n\n")) {
            throw new IllegalArgumentException("note text must end in a newline and contain no blank line");
        }
        byte[] signature;
        try {
            signature = Ed25519Signatures.sign(keys.getPrivate(), text.getBytes(StandardCharsets.UTF_8));
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException("cannot sign the tree head", ex);
        }
        byte[] blob = new byte[keyId.length + signature.length];
        System.arraycopy(keyId, 0, blob, 0, keyId.length);
        System.arraycopy(signature, 0, blob, keyId.length, signature.length);
        String note = text + "\n\u2014 " + name + " " + Base64.getEncoder().encodeToString(blob) + "\n";
        return sm2 == null ? note : note + sm2.line(text) + "\n";
    }
}
