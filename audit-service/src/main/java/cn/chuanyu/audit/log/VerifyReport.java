package cn.chuanyu.audit.log;

import java.time.Instant;

/**
 * What {@code GET /api/v1/audit/verify} found after recomputing every leaf from the stored entries and the whole
 * tree from those leaves.
 *
 * @param ok                     nothing altered: every entry matches its leaf, every stored node its children,
 *                               and every signed tree head the recomputed tree at its size
 * @param treeSize               leaves in the log
 * @param firstMismatchSeq       the first entry (in log order) whose content no longer matches its leaf
 * @param firstMismatchLeafIndex its leaf index
 * @param firstMismatchReason    what is wrong with it
 * @param mismatchedEntries      how many entries do not match
 * @param firstNodeMismatch      the first stored tree node that does not match the recomputed one, e.g. "3/17"
 *                               (level/index), or null
 * @param mismatchedNodes        how many stored tree nodes do not match
 * @param recomputedRoot         root of the tree recomputed from the stored entries
 * @param storedRoot             root as the stored tree nodes give it (what proofs are served from)
 * @param latestSignedTreeSize   size of the latest signed tree head, or null
 * @param latestSignedRootHash   its root hash
 * @param signedRootMatches      whether the recomputed tree at that size has that root
 * @param firstBadSignedTreeSize the smallest signed tree head whose root the recomputed tree does not reproduce
 * @param signedHeadsChecked     how many signed tree heads were compared
 * @param entriesWithoutLeaf     stored entries the log has no leaf for
 */
public record VerifyReport(
        boolean ok,
        long treeSize,
        Long firstMismatchSeq,
        Long firstMismatchLeafIndex,
        String firstMismatchReason,
        long mismatchedEntries,
        String firstNodeMismatch,
        long mismatchedNodes,
        String recomputedRoot,
        String storedRoot,
        boolean storedRootMatches,
        Long latestSignedTreeSize,
        String latestSignedRootHash,
        Boolean signedRootMatches,
        Long firstBadSignedTreeSize,
        int signedHeadsChecked,
        long entriesWithoutLeaf,
        Instant checkedAt,
        long tookMillis) {
}
