package cn.chuanyu.audit.log;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

import cn.chuanyu.audit.Rfc9162;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The Merkle math against the RFC's definitions (an independent implementation in the test) and known vectors. */
class MerkleTreeTest {

    /** The leaves of the RFC 6962 reference tests (Certificate Transparency, Go's tlog, Trillian). */
    private static final String[] VECTOR_LEAVES = {"", "00", "10", "2021", "3031", "40414243",
        "5051525354555657", "606162636465666768696a6b6c6d6e6f"};

    private static final String[] VECTOR_ROOTS = {
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"};

    /** A log kept in a map, built by the production appender. */
    private static final class MapLog implements NodeSource {
        final Map<NodeKey, byte[]> nodes = new HashMap<>();
        final List<byte[]> leaves = new ArrayList<>();
        final Frontier frontier = Frontier.empty();

        void add(byte[] data) {
            byte[] leaf = MerkleHashes.leafHash(data);
            leaves.add(leaf);
            for (Frontier.Node node : frontier.append(leaf)) {
                assertThat(nodes.put(node.key(), node.hash())).as("node %s written once", node.key()).isNull();
            }
        }

        @Override
        public Map<NodeKey, byte[]> read(Set<NodeKey> keys) {
            Map<NodeKey, byte[]> out = new HashMap<>();
            keys.forEach(k -> {
                if (nodes.containsKey(k)) {
                    out.put(k, nodes.get(k));
                }
            });
            return out;
        }
    }

    @Test
    void rootsMatchTheReferenceVectors() {
        MapLog log = new MapLog();
        MerkleTree tree = new MerkleTree(log);
        assertThat(hex(tree.root(0))).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        for (int i = 0; i < VECTOR_LEAVES.length; i++) {
            log.add(HexFormat.of().parseHex(VECTOR_LEAVES[i]));
            assertThat(hex(tree.root(i + 1))).as("root of %d leaves", i + 1).isEqualTo(VECTOR_ROOTS[i]);
            assertThat(hex(log.frontier.root())).isEqualTo(VECTOR_ROOTS[i]);
        }
        // Earlier roots stay servable from the stored nodes after the log grew.
        for (int i = 0; i < VECTOR_LEAVES.length; i++) {
            assertThat(hex(tree.root(i + 1))).isEqualTo(VECTOR_ROOTS[i]);
        }
    }

    @Test
    void everyInclusionAndConsistencyProofOfSmallTreesChecksOutAgainstTheDefinition() {
        MapLog log = new MapLog();
        MerkleTree tree = new MerkleTree(log);
        int max = 70;
        for (int i = 0; i < max; i++) {
            log.add(("entry " + i).getBytes(StandardCharsets.UTF_8));
        }
        for (int n = 1; n <= max; n++) {
            byte[] root = Rfc9162.mth(log.leaves, 0, n);
            assertThat(tree.root(n)).isEqualTo(root);
            for (int m = 0; m < n; m++) {
                List<byte[]> path = tree.inclusionPath(m, n);
                assertThat(Rfc9162.rootFromInclusion(m, n, log.leaves.get(m), path))
                        .as("inclusion of %d in %d", m, n).isEqualTo(root);
                if (!path.isEmpty()) {
                    List<byte[]> flipped = flip(path, m % path.size());
                    assertThat(Rfc9162.rootFromInclusion(m, n, log.leaves.get(m), flipped)).isNotEqualTo(root);
                }
            }
            for (int m = 1; m <= n; m++) {
                byte[] oldRoot = Rfc9162.mth(log.leaves, 0, m);
                List<byte[]> proof = tree.consistencyPath(m, n);
                assertThat(Rfc9162.consistent(m, n, oldRoot, root, proof)).as("consistency %d -> %d", m, n)
                        .isTrue();
                if (!proof.isEmpty()) {
                    assertThat(Rfc9162.consistent(m, n, oldRoot, root, flip(proof, n % proof.size()))).isFalse();
                    assertThat(Rfc9162.consistent(m, n, Rfc9162.leaf(new byte[] {9}), root, proof)).isFalse();
                }
            }
        }
    }

    @Test
    void aProofReadsOnlyAFewStoredNodes() {
        MapLog log = new MapLog();
        for (int i = 0; i < 5000; i++) {
            log.add(new byte[] {(byte) i, (byte) (i >> 8)});
        }
        int[] reads = new int[1];
        MerkleTree tree = new MerkleTree(keys -> {
            reads[0] += keys.size();
            return log.read(keys);
        });
        tree.inclusionPath(1234, 4999);
        assertThat(reads[0]).isLessThan(13 * 13);
        reads[0] = 0;
        tree.consistencyPath(1234, 4999);
        assertThat(reads[0]).isLessThan(13 * 13);
    }

    private static List<byte[]> flip(List<byte[]> hashes, int which) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < hashes.size(); i++) {
            byte[] copy = hashes.get(i).clone();
            if (i == which) {
                copy[0] ^= 0x01;
            }
            out.add(copy);
        }
        return out;
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
