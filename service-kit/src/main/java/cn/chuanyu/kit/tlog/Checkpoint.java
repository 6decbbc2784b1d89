package cn.chuanyu.kit.tlog;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The body of a C2SP tlog-checkpoint (https://c2sp.org/tlog-checkpoint): the origin line, the tree size in decimal,
 * the base64 root hash, then optional extension lines, each ending in a newline. The signatures live in the signed
 * note around it ({@link SignedNote}).
 */
public record Checkpoint(String origin, long size, byte[] rootHash, List<String> extensions) {

    public Checkpoint {
        extensions = List.copyOf(extensions);
        if (origin.isEmpty() || rootHash.length != MerkleProofs.HASH_LENGTH) {
            throw new IllegalArgumentException("a checkpoint needs an origin and a 32-byte root hash");
        }
    }

    public Checkpoint(String origin, long size, byte[] rootHash) {
        this(origin, size, rootHash, List.of());
    }

    /**
     * Parses a checkpoint body (the note text, or the whole signed note: its signatures are ignored).
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static Checkpoint parse(String textOrNote) {
        String text = textOrNote.contains("\n\n") ? SignedNote.parse(textOrNote).text() : textOrNote;
        if (!text.endsWith("\n")) {
            throw new IllegalArgumentException("a checkpoint body ends in a newline");
        }
        String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
        if (lines.length < 3) {
            throw new IllegalArgumentException("a checkpoint has an origin, a size and a root hash line");
        }
        if (lines[0].isEmpty()) {
            throw new IllegalArgumentException("a checkpoint's origin line is empty");
        }
        long size = decimal(lines[1], "tree size");
        byte[] root;
        try {
            root = Base64.getDecoder().decode(lines[2]);
        }
        catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException("a checkpoint's root hash is not base64");
        }
        if (root.length != MerkleProofs.HASH_LENGTH) {
            throw new IllegalArgumentException("a checkpoint's root hash is not 32 bytes");
        }
        List<String> extensions = new ArrayList<>();
        for (int i = 3; i < lines.length; i++) {
            if (lines[i].isEmpty()) {
                throw new IllegalArgumentException("a checkpoint has no empty lines");
            }
            extensions.add(lines[i]);
        }
        return new Checkpoint(lines[0], size, root, extensions);
    }

    /** An ASCII decimal without leading zeros (except 0 itself), as C2SP requires for sizes. */
    public static long decimal(String value, String what) {
        if (!value.matches("0|[1-9][0-9]{0,18}")) {
            throw new IllegalArgumentException("the " + what + " must be a decimal without leading zeros: " + value);
        }
        try {
            return Long.parseLong(value);
        }
        catch (NumberFormatException ex) {
            throw new IllegalArgumentException("the " + what + " is too large: " + value);
        }
    }

    /** The checkpoint text as signed: origin, size, base64 root, extensions, each followed by a newline. */
    public String body() {
        StringBuilder out = new StringBuilder().append(origin).append('\n').append(size).append('\n')
                .append(Base64.getEncoder().encodeToString(rootHash)).append('\n');
        extensions.forEach(line -> out.append(line).append('\n'));
        return out.toString();
    }

    /** {@code size N, root BASE64} for messages that name a head. */
    public String describe() {
        return "size " + size + ", root " + Base64.getEncoder().encodeToString(rootHash);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Checkpoint c && body().equals(c.body());
    }

    @Override
    public int hashCode() {
        return body().hashCode();
    }

    @Override
    public String toString() {
        return "Checkpoint[" + origin + ", " + describe() + "]";
    }
}
