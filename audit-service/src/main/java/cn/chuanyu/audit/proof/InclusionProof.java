package cn.chuanyu.audit.proof;

import java.util.List;

/**
 * RFC 9162 inclusion proof of one entry in the tree of {@code treeSize} leaves; hashes in lowercase hex, the audit
 * path from the leaf's sibling upwards.
 */
public record InclusionProof(long seq, long leafIndex, long treeSize, String leafHash, List<String> auditPath) {
}
