package cn.chuanyu.audit;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An RFC 9162 §2.1 reference written for the tests from the RFC's definitions, independent of the production
 * code: MTH by plain recursion over the leaf data, and proof checks that rebuild the roots by the same recursion
 * the RFC uses to define PATH and PROOF.
 */
public final class Rfc9162 {

    private Rfc9162() {
    }

    public static byte[] sha256(byte[]... parts) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (byte[] part : parts) {
                sha.update(part);
            }
            return sha.digest();
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    public static byte[] leaf(byte[] data) {
        return sha256(new byte[] {0}, data);
    }

    public static byte[] node(byte[] left, byte[] right) {
        return sha256(new byte[] {1}, left, right);
    }

    static long k(long n) {
        long k = 1;
        while (k * 2 < n) {
            k *= 2;
        }
        return k;
    }

    /** MTH(D[lo:hi]) over leaf hashes, straight from the definition. */
    public static byte[] mth(List<byte[]> leafHashes, int lo, int hi) {
        int n = hi - lo;
        if (n == 0) {
            return sha256();
        }
        if (n == 1) {
            return leafHashes.get(lo);
        }
        int k = (int) k(n);
        return node(mth(leafHashes, lo, lo + k), mth(leafHashes, lo + k, hi));
    }

    /** Root implied by an inclusion proof, or null if the proof has the wrong shape for (m, n). */
    public static byte[] rootFromInclusion(long m, long n, byte[] leafHash, List<byte[]> path) {
        if (m < 0 || m >= n) {
            return null;
        }
        List<byte[]> remaining = new ArrayList<>(path);
        byte[] root = inclusion(m, n, leafHash, remaining);
        return root != null && remaining.isEmpty() ? root : null;
    }

    // PATH(m, D[n]) = PATH(m, D[0:k]) : MTH(D[k:n]) if m < k, else PATH(m - k, D[k:n]) : MTH(D[0:k]):
    // the last element is the sibling at the top.
    private static byte[] inclusion(long m, long n, byte[] leafHash, List<byte[]> path) {
        if (n == 1) {
            return leafHash;
        }
        if (path.isEmpty()) {
            return null;
        }
        byte[] sibling = path.remove(path.size() - 1);
        long k = k(n);
        if (m < k) {
            byte[] left = inclusion(m, k, leafHash, path);
            return left == null ? null : node(left, sibling);
        }
        byte[] right = inclusion(m - k, n - k, leafHash, path);
        return right == null ? null : node(sibling, right);
    }

    /** Whether {@code proof} shows the tree of {@code n} leaves with root {@code newRoot} extends that of m. */
    public static boolean consistent(long m, long n, byte[] oldRoot, byte[] newRoot, List<byte[]> proof) {
        if (m < 1 || m > n) {
            return false;
        }
        if (m == n) {
            return proof.isEmpty() && Arrays.equals(oldRoot, newRoot);
        }
        List<byte[]> remaining = new ArrayList<>(proof);
        byte[][] roots = subproof(m, n, true, oldRoot, remaining);
        return roots != null && remaining.isEmpty() && Arrays.equals(roots[0], oldRoot)
                && Arrays.equals(roots[1], newRoot);
    }

    // SUBPROOF(m, D[n], b): returns {hash of the old tree's part, hash of the new tree's part} of this subtree.
    private static byte[][] subproof(long m, long n, boolean b, byte[] oldRoot, List<byte[]> proof) {
        if (m == n) {
            if (b) {
                return new byte[][] {oldRoot, oldRoot};
            }
            if (proof.isEmpty()) {
                return null;
            }
            byte[] h = proof.remove(proof.size() - 1);
            return new byte[][] {h, h};
        }
        if (proof.isEmpty()) {
            return null;
        }
        byte[] last = proof.remove(proof.size() - 1);
        long k = k(n);
        if (m <= k) {
            byte[][] inner = subproof(m, k, b, oldRoot, proof);
            return inner == null ? null : new byte[][] {inner[0], node(inner[1], last)};
        }
        byte[][] inner = subproof(m - k, n - k, false, oldRoot, proof);
        return inner == null ? null : new byte[][] {node(last, inner[0]), node(last, inner[1])};
    }
}
