package cn.chuanyu.kit.tlog;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Verifies the Merkle proofs of RFC 9162 §2.1.3.2 (inclusion) and §2.1.4.2 (consistency) over SHA-256 with the
 * RFC's domain separation (0x00 for leaves, 0x01 for interior nodes; the same trees as RFC 6962). Only checks, no
 * tree building: the log builds its proofs from its store, a witness or an auditor checks them here.
 */
public final class MerkleProofs {

    public static final int HASH_LENGTH = 32;

    private MerkleProofs() {
    }

    /** SHA-256(0x00 || entry). */
    public static byte[] leafHash(byte[] entry) {
        MessageDigest sha = sha256();
        sha.update((byte) 0x00);
        sha.update(entry);
        return sha.digest();
    }

    /** SHA-256(0x01 || left || right). */
    public static byte[] nodeHash(byte[] left, byte[] right) {
        MessageDigest sha = sha256();
        sha.update((byte) 0x01);
        sha.update(left);
        sha.update(right);
        return sha.digest();
    }

    /** The root of the empty tree: SHA-256 of nothing. */
    public static byte[] emptyRoot() {
        return sha256().digest();
    }

    /**
     * Whether the tree of {@code newSize} leaves with root {@code newRoot} extends the tree of {@code oldSize} leaves
     * with root {@code oldRoot}, by the consistency proof {@code proof}. Any tree extends the empty one (the proof
     * must then be empty); equal sizes need an empty proof and equal roots.
     */
    public static boolean consistent(long oldSize, long newSize, byte[] oldRoot, byte[] newRoot, List<byte[]> proof) {
        if (oldSize < 0 || oldSize > newSize || !wellFormed(proof)) {
            return false;
        }
        if (oldSize == 0) {
            return proof.isEmpty();
        }
        if (oldSize == newSize) {
            return proof.isEmpty() && Arrays.equals(oldRoot, newRoot);
        }
        if (proof.isEmpty()) {
            return false;
        }
        List<byte[]> path = new ArrayList<>(proof);
        if (Long.bitCount(oldSize) == 1) {
            path.add(0, oldRoot); // the old tree is a complete subtree of the new one: its root starts the path
        }
        long fn = oldSize - 1;
        long sn = newSize - 1;
        while ((fn & 1) == 1) {
            fn >>>= 1;
            sn >>>= 1;
        }
        byte[] fr = path.get(0);
        byte[] sr = path.get(0);
        for (byte[] c : path.subList(1, path.size())) {
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                fr = nodeHash(c, fr);
                sr = nodeHash(c, sr);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>>= 1;
                        sn >>>= 1;
                    }
                }
            }
            else {
                sr = nodeHash(sr, c);
            }
            fn >>>= 1;
            sn >>>= 1;
        }
        return Arrays.equals(fr, oldRoot) && Arrays.equals(sr, newRoot) && sn == 0;
    }

    /** Whether {@code leafHash} is leaf {@code leafIndex} of the tree of {@code size} leaves with root {@code root}. */
    public static boolean includes(long leafIndex, long size, byte[] leafHash, List<byte[]> path, byte[] root) {
        if (leafIndex < 0 || leafIndex >= size || !wellFormed(path) || leafHash.length != HASH_LENGTH) {
            return false;
        }
        long fn = leafIndex;
        long sn = size - 1;
        byte[] r = leafHash;
        for (byte[] p : path) {
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = nodeHash(p, r);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>>= 1;
                        sn >>>= 1;
                    }
                }
            }
            else {
                r = nodeHash(r, p);
            }
            fn >>>= 1;
            sn >>>= 1;
        }
        return sn == 0 && Arrays.equals(r, root);
    }

    private static boolean wellFormed(List<byte[]> hashes) {
        return hashes.size() <= 64 && hashes.stream().allMatch(h -> h != null && h.length == HASH_LENGTH);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
