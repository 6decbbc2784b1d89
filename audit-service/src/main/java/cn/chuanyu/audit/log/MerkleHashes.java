package cn.chuanyu.audit.log;

import java.util.HexFormat;

import cn.chuanyu.kit.tlog.MerkleProofs;

/** The hashes of RFC 9162 §2.1: SHA-256 with domain separation between leaves (0x00) and interior nodes (0x01). */
public final class MerkleHashes {

    public static final int HASH_LENGTH = MerkleProofs.HASH_LENGTH;

    private static final HexFormat HEX = HexFormat.of();

    private MerkleHashes() {
    }

    /** MTH({d}) = SHA-256(0x00 || d): the kit's, which witnesses and auditors check proofs with. */
    public static byte[] leafHash(byte[] entry) {
        return MerkleProofs.leafHash(entry);
    }

    /** SHA-256(0x01 || left || right). */
    public static byte[] nodeHash(byte[] left, byte[] right) {
        return MerkleProofs.nodeHash(left, right);
    }

    /** MTH({}) = SHA-256 of the empty string: the root of the empty tree. */
    public static byte[] emptyRoot() {
        return MerkleProofs.emptyRoot();
    }

    /** The k of RFC 9162: the largest power of two smaller than n (n at least 2). */
    public static long splitPoint(long n) {
        if (n < 2) {
            throw new IllegalArgumentException("no split point for " + n + " leaves");
        }
        return Long.highestOneBit(n - 1);
    }

    public static String hex(byte[] hash) {
        return HEX.formatHex(hash);
    }

    public static byte[] unhex(String hex) {
        return HEX.parseHex(hex);
    }
}
