package cn.chuanyu.audit.log;

/**
 * A complete subtree of the log: the 2^level leaves starting at leaf {@code index * 2^level}. Level 0 is a leaf.
 * Once the log holds all its leaves, a node's hash never changes, so every one is stored when it completes.
 */
public record NodeKey(int level, long index) {

    public NodeKey {
        if (level < 0 || level > 62 || index < 0) {
            throw new IllegalArgumentException("no node at level " + level + ", index " + index);
        }
    }

    long firstLeaf() {
        return index << level;
    }

    long width() {
        return 1L << level;
    }
}
