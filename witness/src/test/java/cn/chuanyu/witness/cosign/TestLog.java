package cn.chuanyu.witness.cosign;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import cn.chuanyu.kit.identity.Ed25519Keys;
import cn.chuanyu.kit.note.NoteSigner;
import cn.chuanyu.kit.tlog.AddCheckpointRequest;
import cn.chuanyu.kit.tlog.Checkpoint;
import cn.chuanyu.kit.tlog.MerkleProofs;

/** A log in memory, by the RFC 9162 definitions, that signs its checkpoints like the audit log does. */
final class TestLog {

    final NoteSigner signer;
    final List<byte[]> leaves = new ArrayList<>();

    TestLog(String origin) {
        this.signer = new NoteSigner(origin, Ed25519Keys.generate());
    }

    TestLog grow(int count) {
        for (int i = 0; i < count; i++) {
            leaves.add(MerkleProofs.leafHash(("entry " + leaves.size()).getBytes(StandardCharsets.UTF_8)));
        }
        return this;
    }

    /** Rewrites leaf {@code index}: what someone holding the log's database and key could do. */
    void rewrite(int index) {
        leaves.set(index, MerkleProofs.leafHash(("rewritten " + index).getBytes(StandardCharsets.UTF_8)));
    }

    String checkpoint(int size) {
        return signer.sign(new Checkpoint(signer.name(), size, root(size)).body());
    }

    String request(int old, int size) {
        return new AddCheckpointRequest(old, old == 0 ? List.of() : proof(old, leaves.subList(0, size), true),
                checkpoint(size)).format();
    }

    byte[] root(int size) {
        return size == 0 ? MerkleProofs.emptyRoot() : root(leaves.subList(0, size));
    }

    static byte[] root(List<byte[]> leaves) {
        if (leaves.size() == 1) {
            return leaves.get(0);
        }
        int k = Integer.highestOneBit(leaves.size() - 1);
        return MerkleProofs.nodeHash(root(leaves.subList(0, k)), root(leaves.subList(k, leaves.size())));
    }

    static List<byte[]> proof(int m, List<byte[]> leaves, boolean complete) {
        int n = leaves.size();
        List<byte[]> out = new ArrayList<>();
        if (m == n) {
            if (!complete) {
                out.add(root(leaves));
            }
            return out;
        }
        int k = Integer.highestOneBit(n - 1);
        if (m <= k) {
            out.addAll(proof(m, leaves.subList(0, k), complete));
            out.add(root(leaves.subList(k, n)));
        }
        else {
            out.addAll(proof(m - k, leaves.subList(k, n), false));
            out.add(root(leaves.subList(0, k)));
        }
        return out;
    }
}
