package cn.chuanyu.audit.log;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Appends leaves to a log of a given size and yields every node that completes. It needs only the tree's right
 * edge: for each set bit L of the size, the complete node at level L whose right sibling has not arrived yet.
 */
final class Frontier {

    record Node(NodeKey key, byte[] hash) {
    }

    private final Map<Integer, byte[]> pendingLeft = new HashMap<>();
    private long size;

    private Frontier(long size) {
        this.size = size;
    }

    /** The stored nodes a frontier over a log of {@code size} leaves starts from. */
    static Set<NodeKey> keysFor(long size) {
        Set<NodeKey> keys = new LinkedHashSet<>();
        for (int level = 0; level < 63; level++) {
            if (((size >>> level) & 1) == 1) {
                keys.add(new NodeKey(level, (size >>> level) - 1));
            }
        }
        return keys;
    }

    static Frontier of(long size, Map<NodeKey, byte[]> stored) {
        Frontier frontier = new Frontier(size);
        for (NodeKey key : keysFor(size)) {
            byte[] hash = stored.get(key);
            if (hash == null) {
                throw new IllegalStateException("tree node " + key + " of the right edge is missing");
            }
            frontier.pendingLeft.put(key.level(), hash);
        }
        return frontier;
    }

    long size() {
        return size;
    }

    static Frontier empty() {
        return new Frontier(0);
    }

    /** MTH of the leaves appended so far: the right-edge nodes folded from the lowest level up. */
    byte[] root() {
        byte[] acc = null;
        for (int level = 0; level < 63; level++) {
            if (((size >>> level) & 1) == 1) {
                byte[] node = pendingLeft.get(level);
                acc = acc == null ? node : MerkleHashes.nodeHash(node, acc);
            }
        }
        return acc == null ? MerkleHashes.emptyRoot() : acc;
    }

    /** Adds the next leaf and returns the nodes it completes, the leaf itself first. */
    List<Node> append(byte[] leafHash) {
        List<Node> completed = new ArrayList<>(2);
        long index = size;
        int level = 0;
        byte[] hash = leafHash;
        completed.add(new Node(new NodeKey(0, index), hash));
        while ((index & 1) == 1) {
            byte[] left = pendingLeft.remove(level);
            hash = MerkleHashes.nodeHash(left, hash);
            index >>>= 1;
            level++;
            completed.add(new Node(new NodeKey(level, index), hash));
        }
        pendingLeft.put(level, hash);
        size++;
        return completed;
    }
}
