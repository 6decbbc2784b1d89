package cn.chuanyu.kit.tlog;

import java.nio.ByteBuffer;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

import cn.chuanyu.kit.crypto.Sm2Keys;
import cn.chuanyu.kit.note.Sm2NoteSignature;

/**
 * The SM2 twin of a C2SP tlog-cosignature {@code cosignature/v1} line, which a witness adds under the same name
 * after its Ed25519 one when the SM2 suite is on:
 * <pre>
 *   line   = "— " name " " base64(key id || timestamp || DER SM2 signature)
 *   key id = SHA-256(name || 0x0A || 0xff || "chuanyu-sm2-sm3" || SubjectPublicKeyInfo DER)[:4]  (as Sm2NoteSignature)
 * </pre>
 * The timestamp is 8 bytes big-endian POSIX seconds, and the signature (SM2 with SM3, default user identifier)
 * covers exactly the Ed25519 cosignature's message, {@link CosignatureSigner#signedMessage}. The spec has no SM2
 * cosignature type; a verifier that knows only Ed25519 finds no key of this id and ignores the line.
 */
public final class Sm2Cosignature {

    private final String name;
    private final KeyPair keys;
    private final byte[] keyId;

    public Sm2Cosignature(String name, KeyPair sm2Keys) {
        this.name = name;
        this.keys = sm2Keys;
        this.keyId = Sm2NoteSignature.keyId(name, sm2Keys.getPublic());
    }

    public String name() {
        return name;
    }

    public PublicKey publicKey() {
        return keys.getPublic();
    }

    /** The SubjectPublicKeyInfo PEM, as {@code openssl pkeyutl -verify -pubin -inkey} reads it. */
    public String publicKeyPem() {
        return Sm2Keys.toPem(keys.getPublic());
    }

    /** The SM2 cosignature line (ending in a newline) over {@code checkpointBody} at {@code time} (whole seconds). */
    public String cosign(String checkpointBody, Instant time) {
        long timestamp = time.getEpochSecond();
        byte[] signature = Sm2Keys.sign(keys.getPrivate(), CosignatureSigner.signedMessage(checkpointBody, timestamp));
        ByteBuffer blob = ByteBuffer.allocate(4 + 8 + signature.length);
        blob.put(keyId).putLong(timestamp).put(signature);
        return SignedNote.SIGNATURE_PREFIX + name + " " + Base64.getEncoder().encodeToString(blob.array()) + "\n";
    }

    /**
     * The time of the SM2 cosignature in {@code line} if it is {@code name}'s, of {@code sm2PublicKey}'s key id, and
     * verifies over {@code checkpointBody}; empty for any other line.
     */
    public static Optional<Instant> verifyLine(String checkpointBody, String line, String name, PublicKey sm2PublicKey) {
        String bare = line.endsWith("\n") ? line.substring(0, line.length() - 1) : line;
        String prefix = SignedNote.SIGNATURE_PREFIX + name + " ";
        if (!bare.startsWith(prefix)) {
            return Optional.empty();
        }
        byte[] blob;
        try {
            blob = Base64.getDecoder().decode(bare.substring(prefix.length()));
        }
        catch (IllegalArgumentException ex) {
            return Optional.empty();
        }
        if (blob.length <= 12 || !Arrays.equals(Arrays.copyOf(blob, 4), Sm2NoteSignature.keyId(name, sm2PublicKey))) {
            return Optional.empty();
        }
        long timestamp = ByteBuffer.wrap(blob, 4, 8).getLong();
        if (timestamp < 0 || !Sm2Keys.verify(sm2PublicKey, CosignatureSigner.signedMessage(checkpointBody, timestamp),
                Arrays.copyOfRange(blob, 12, blob.length))) {
            return Optional.empty();
        }
        return Optional.of(Instant.ofEpochSecond(timestamp));
    }
}
