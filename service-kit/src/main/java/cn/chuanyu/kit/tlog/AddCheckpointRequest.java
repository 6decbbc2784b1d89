package cn.chuanyu.kit.tlog;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The body of a C2SP tlog-witness {@code add-checkpoint} request (https://c2sp.org/tlog-witness): the line
 * {@code old <size>}, zero to 63 consistency proof lines (one base64 hash each), an empty line, then the signed
 * checkpoint.
 *
 * @param oldSize    the size of the checkpoint the client believes the witness last cosigned (0: none)
 * @param proof      RFC 6962 consistency proof from {@code oldSize} to the checkpoint's size; empty for 0
 * @param checkpoint the signed checkpoint note, with its signatures
 */
public record AddCheckpointRequest(long oldSize, List<byte[]> proof, String checkpoint) {

    /** The most proof lines a request may carry. */
    public static final int MAX_PROOF_LINES = 63;

    public AddCheckpointRequest {
        proof = List.copyOf(proof);
    }

    /** @throws IllegalArgumentException naming what is malformed (a 400 for the witness) */
    public static AddCheckpointRequest parse(String body) {
        int blank = body == null ? -1 : body.indexOf("\n\n");
        if (blank < 0) {
            throw new IllegalArgumentException("the request is an old size line, proof lines, an empty line and a "
                    + "checkpoint");
        }
        String[] head = body.substring(0, blank).split("\n", -1);
        if (!head[0].startsWith("old ")) {
            throw new IllegalArgumentException("the first line must be 'old <size>'");
        }
        long old = Checkpoint.decimal(head[0].substring(4), "old size");
        if (head.length - 1 > MAX_PROOF_LINES) {
            throw new IllegalArgumentException("more than " + MAX_PROOF_LINES + " consistency proof lines");
        }
        List<byte[]> proof = new ArrayList<>();
        for (int i = 1; i < head.length; i++) {
            byte[] hash;
            try {
                hash = Base64.getDecoder().decode(head[i]);
            }
            catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("consistency proof line " + i + " is not base64");
            }
            if (hash.length != MerkleProofs.HASH_LENGTH) {
                throw new IllegalArgumentException("consistency proof line " + i + " is not a 32-byte hash");
            }
            proof.add(hash);
        }
        if (old == 0 && !proof.isEmpty()) {
            throw new IllegalArgumentException("the proof must be empty when the old size is 0");
        }
        return new AddCheckpointRequest(old, proof, body.substring(blank + 2));
    }

    public String format() {
        StringBuilder out = new StringBuilder("old ").append(oldSize).append('\n');
        proof.forEach(h -> out.append(Base64.getEncoder().encodeToString(h)).append('\n'));
        return out.append('\n').append(checkpoint).toString();
    }
}
