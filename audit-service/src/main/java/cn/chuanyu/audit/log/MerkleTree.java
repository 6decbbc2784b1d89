package cn.chuanyu.audit.log;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Tree hashes and proofs of RFC 9162 §2.1 served from stored complete subtrees, without rehashing the log.
 * <p>
 * Every subtree the RFC's recursion visits, D[lo:hi), is cut at k = the largest power of two below its size, so
 * its left part is always a complete, aligned subtree, and the right part recurses. Its hash therefore needs at
 * most one stored node per level: a proof reads O(log² n) node hashes in one query and hashes O(log² n) times.
 */
public final class MerkleTree {

    private final NodeSource nodes;

    public MerkleTree(NodeSource nodes) {
        this.nodes = nodes;
    }

    /** MTH(D[0:size]). */
    public byte[] root(long size) {
        if (size < 0) {
            throw new IllegalArgumentException("negative tree size");
        }
        if (size == 0) {
            return MerkleHashes.emptyRoot();
        }
        return hashes(List.of(new long[] {0, size})).get(0);
    }

    /** PATH(m, D[0:size]) of RFC 9162 §2.1.3.1, ordered from the leaf's sibling up to the root's child. */
    public List<byte[]> inclusionPath(long leafIndex, long size) {
        if (leafIndex < 0 || leafIndex >= size) {
            throw new IllegalArgumentException("leaf " + leafIndex + " is not in a tree of " + size);
        }
        return hashes(inclusionRanges(leafIndex, size));
    }

    /** PROOF(m, D[0:n]) of RFC 9162 §2.1.4.1; empty when m == n. */
    public List<byte[]> consistencyPath(long m, long n) {
        if (m < 1 || m > n) {
            throw new IllegalArgumentException("no consistency proof from " + m + " to " + n);
        }
        if (m == n) {
            return List.of();
        }
        return hashes(consistencyRanges(m, n));
    }

    /** The subtrees [lo, hi) whose hashes make up the audit path, bottom first. */
    static List<long[]> inclusionRanges(long m, long size) {
        List<long[]> topDown = new ArrayList<>();
        long lo = 0;
        long hi = size;
        while (hi - lo > 1) {
            long k = MerkleHashes.splitPoint(hi - lo);
            if (m < lo + k) {
                topDown.add(new long[] {lo + k, hi});
                hi = lo + k;
            }
            else {
                topDown.add(new long[] {lo, lo + k});
                lo = lo + k;
            }
        }
        Collections.reverse(topDown);
        return topDown;
    }

    /** SUBPROOF(m, D[0:n], true), unrolled: the subtrees whose hashes make up the proof, in the RFC's order. */
    static List<long[]> consistencyRanges(long m, long n) {
        List<long[]> topDown = new ArrayList<>();
        long lo = 0;
        long hi = n;
        boolean wholeOldTreeIsRoot = true;
        while (true) {
            long size = hi - lo;
            long mm = m - lo;
            if (mm == size) {
                if (!wholeOldTreeIsRoot) {
                    topDown.add(new long[] {lo, hi});
                }
                break;
            }
            long k = MerkleHashes.splitPoint(size);
            if (mm <= k) {
                topDown.add(new long[] {lo + k, hi});
                hi = lo + k;
            }
            else {
                topDown.add(new long[] {lo, lo + k});
                lo = lo + k;
                wholeOldTreeIsRoot = false;
            }
        }
        Collections.reverse(topDown);
        return topDown;
    }

    private List<byte[]> hashes(List<long[]> ranges) {
        Set<NodeKey> keys = new LinkedHashSet<>();
        for (long[] range : ranges) {
            collect(range[0], range[1], keys);
        }
        Map<NodeKey, byte[]> stored = nodes.read(keys);
        List<byte[]> out = new ArrayList<>(ranges.size());
        for (long[] range : ranges) {
            out.add(hash(range[0], range[1], stored));
        }
        return out;
    }

    /** The stored nodes that MTH(D[lo:hi)) is made of. */
    static void collect(long lo, long hi, Set<NodeKey> keys) {
        long size = hi - lo;
        if (Long.bitCount(size) == 1 && lo % size == 0) {
            keys.add(new NodeKey(Long.numberOfTrailingZeros(size), lo / size));
            return;
        }
        long k = MerkleHashes.splitPoint(size);
        if (lo % k != 0) {
            throw new IllegalStateException("subtree [" + lo + ", " + hi + ") is not on the RFC 9162 split grid");
        }
        collect(lo, lo + k, keys);
        collect(lo + k, hi, keys);
    }

    private static byte[] hash(long lo, long hi, Map<NodeKey, byte[]> stored) {
        long size = hi - lo;
        if (Long.bitCount(size) == 1 && lo % size == 0) {
            NodeKey key = new NodeKey(Long.numberOfTrailingZeros(size), lo / size);
            byte[] hash = stored.get(key);
            if (hash == null) {
                throw new IllegalStateException("tree node " + key + " is missing from the store");
            }
            return hash;
        }
        long k = MerkleHashes.splitPoint(size);
        return MerkleHashes.nodeHash(hash(lo, lo + k, stored), hash(lo + k, hi, stored));
    }
}
