package cn.chuanyu.kit.tlog;

import cn.chuanyu.kit.identity.Ed25519Signatures;
import cn.chuanyu.kit.note.Ed25519NoteKeys;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.time.Instant;
import java.util.Base64;

/**
 * Makes C2SP tlog-cosignature {@code cosignature/v1} Ed25519 cosignatures (https://c2sp.org/tlog-cosignature): the
 * note signature line {@code — <name> base64(key id || timestamp || signature)}, where the key id is
 * SHA-256(name || 0x0A || 0x04 || public key)[:4], the timestamp is 8 bytes big-endian POSIX seconds, and the
 * Ed25519 signature covers {@code "cosignature/v1\ntime <seconds>\n"} followed by the checkpoint body.
 */
public final class CosignatureSigner {

    /** Signature type byte of Ed25519 cosignatures in key ids and verifier keys. */
    public static final byte ALG_COSIGNATURE_V1 = 0x04;

    private final String name;
    private final KeyPair keys;
    private final byte[] rawPublicKey;
    private final byte[] keyId;

    public CosignatureSigner(String name, KeyPair keys) {
        this.name = Ed25519NoteKeys.requireName(name);
        this.keys = keys;
        this.rawPublicKey = Ed25519NoteKeys.raw(keys.getPublic());
        this.keyId = keyId(name, rawPublicKey);
    }

    /** SHA-256(name || "\n" || 0x04 || key)[:4]. */
    public static byte[] keyId(String name, byte[] rawPublicKey) {
        return Ed25519NoteKeys.keyId(name, ALG_COSIGNATURE_V1, rawPublicKey);
    }

    /** The message a {@code cosignature/v1} signature covers. */
    public static byte[] signedMessage(String checkpointBody, long timestamp) {
        return ("cosignature/v1\ntime " + timestamp + "\n" + checkpointBody).getBytes(StandardCharsets.UTF_8);
    }

    public String name() {
        return name;
    }

    /** {@code <name>+<hex key id>+<base64(0x04 || public key)>}. */
    public String verifierKey() {
        return Ed25519NoteKeys.verifierKey(name, ALG_COSIGNATURE_V1, rawPublicKey);
    }

    /** The cosignature line (ending in a newline) over {@code checkpointBody} at {@code time} (whole seconds). */
    public String cosign(String checkpointBody, Instant time) {
        long timestamp = time.getEpochSecond();
        byte[] signature;
        try {
            signature = Ed25519Signatures.sign(keys.getPrivate(), signedMessage(checkpointBody, timestamp));
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException("cannot cosign the checkpoint", ex);
        }
        ByteBuffer blob = ByteBuffer.allocate(4 + 8 + signature.length);
        blob.put(keyId).putLong(timestamp).put(signature);
        return SignedNote.SIGNATURE_PREFIX + name + " " + Base64.getEncoder().encodeToString(blob.array()) + "\n";
    }
}
