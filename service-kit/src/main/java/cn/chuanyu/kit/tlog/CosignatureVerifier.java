package cn.chuanyu.kit.tlog;

import cn.chuanyu.kit.identity.Ed25519Signatures;
import cn.chuanyu.kit.note.Ed25519NoteKeys;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/**
 * Checks C2SP tlog-cosignature {@code cosignature/v1} Ed25519 cosignatures against one trusted cosigner verifier key
 * ({@code <name>+<hex key id>+<base64(0x04 || public key)>}). Lines of other keys are ignored, as the signed-note
 * format requires; see {@link CosignatureSigner} for the bytes.
 */
public final class CosignatureVerifier {

    private final String name;
    private final byte[] keyId;
    private final PublicKey publicKey;
    private final String verifierKey;

    private CosignatureVerifier(String name, byte[] keyId, PublicKey publicKey, String verifierKey) {
        this.name = name;
        this.keyId = keyId;
        this.publicKey = publicKey;
        this.verifierKey = verifierKey;
    }

    /** Parses a cosigner verifier key; refuses one whose id does not match its name and key, or of another type. */
    public static CosignatureVerifier of(String verifierKey) {
        Ed25519NoteKeys.VerifierKey key = Ed25519NoteKeys.parse(verifierKey, CosignatureSigner.ALG_COSIGNATURE_V1,
                "cosigner verifier key");
        return new CosignatureVerifier(key.name(), key.keyId(), key.publicKey(), key.text());
    }

    public String name() {
        return name;
    }

    public String verifierKey() {
        return verifierKey;
    }

    /** A valid cosignature of this key: the line as found and its time. */
    public record Cosignature(String line, Instant time) {
    }

    /**
     * This key's valid cosignature among the signature lines of {@code note} (a signed checkpoint), the latest if
     * several; empty if it carries none that verifies.
     */
    public Optional<Cosignature> find(String note) {
        SignedNote parsed = SignedNote.parse(note);
        Cosignature best = null;
        for (String line : parsed.signatureLines()) {
            Optional<Cosignature> one = verifyLine(parsed.text(), line);
            if (one.isPresent() && (best == null || one.get().time().isAfter(best.time()))) {
                best = one.get();
            }
        }
        return Optional.ofNullable(best);
    }

    /** The cosignature in {@code line} if it is this key's and verifies over {@code checkpointBody}. */
    public Optional<Cosignature> verifyLine(String checkpointBody, String line) {
        String bare = line.endsWith("\n") ? line.substring(0, line.length() - 1) : line;
        if (!bare.startsWith(SignedNote.SIGNATURE_PREFIX)) {
            return Optional.empty();
        }
        String[] fields = bare.substring(2).split(" ", -1);
        if (fields.length != 2 || !fields[0].equals(name)) {
            return Optional.empty();
        }
        byte[] blob;
        try {
            blob = Base64.getDecoder().decode(fields[1]);
        }
        catch (IllegalArgumentException ex) {
            return Optional.empty();
        }
        if (blob.length != 4 + 8 + 64 || !Arrays.equals(Arrays.copyOf(blob, 4), keyId)) {
            return Optional.empty();
        }
        ByteBuffer buffer = ByteBuffer.wrap(blob, 4, 8 + 64);
        long timestamp = buffer.getLong();
        if (timestamp < 0) {
            return Optional.empty();
        }
        byte[] signature = Arrays.copyOfRange(blob, 12, blob.length);
        try {
            if (!Ed25519Signatures.verify(publicKey, CosignatureSigner.signedMessage(checkpointBody, timestamp),
                    signature)) {
                return Optional.empty();
            }
        }
        catch (GeneralSecurityException ex) {
            return Optional.empty();
        }
        return Optional.of(new Cosignature(bare, Instant.ofEpochSecond(timestamp)));
    }
}
