package cn.chuanyu.audit.log;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.tools.ToolProvider;

import cn.chuanyu.audit.Rfc9162;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Merkle tree, its proofs and the offline verifier against the RFC 6962 test vectors published with
 * transparency-dev's Go {@code merkle} package (an implementation independent of this project; source and commit
 * in {@code merkle/transparency-dev-rfc6962-vectors.json}). The proofs the log serves must be byte for byte the
 * published ones, and the verifier must accept them and refuse the corruptions the Go tests refuse.
 */
class PublishedVectorsTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] SOME_HASH =
            HEX.parseHex("abacaba000000000000000000000000000000000000000000060061e00123456");

    private static JsonNode vectors;
    private static List<byte[]> leaves;
    private static List<byte[]> roots;
    private static MerkleTree tree;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = PublishedVectorsTest.class.getResourceAsStream(
                "/merkle/transparency-dev-rfc6962-vectors.json")) {
            assertThat(in).as("the vector file").isNotNull();
            vectors = JsonMapper.builder().build().readTree(in);
        }
        leaves = hashes(vectors.path("leaves"));
        roots = hashes(vectors.path("roots"));
        assertThat(leaves).hasSize(8);
        assertThat(roots).hasSize(8);

        // The tree as the log builds it: leaves appended through the frontier, complete nodes stored.
        Map<NodeKey, byte[]> stored = new HashMap<>();
        Frontier frontier = Frontier.empty();
        for (byte[] leaf : leaves) {
            frontier.append(MerkleHashes.leafHash(leaf)).forEach(node -> stored.put(node.key(), node.hash()));
        }
        tree = new MerkleTree(keys -> only(stored, keys));
    }

    @Test
    void rootsOfEveryPrefixAreThePublishedOnes() {
        assertThat(hex(tree.root(0))).isEqualTo(vectors.path("emptyRoot").asString());
        for (int size = 1; size <= 8; size++) {
            assertThat(hex(tree.root(size))).as("root of %d leaves", size).isEqualTo(hex(roots.get(size - 1)));
        }
    }

    @Test
    void inclusionProofsTheLogServesAreThePublishedOnes() {
        for (JsonNode vector : vectors.path("inclusion")) {
            long leafIndex = vector.path("leafIndex").asLong();
            long size = vector.path("treeSize").asLong();
            assertThat(hexes(tree.inclusionPath(leafIndex, size)))
                    .as("inclusion proof of leaf %d in %d", leafIndex, size)
                    .isEqualTo(hexes(hashes(vector.path("proof"))));
        }
    }

    @Test
    void consistencyProofsTheLogServesAreThePublishedOnes() {
        for (JsonNode vector : vectors.path("consistency")) {
            long size1 = vector.path("size1").asLong();
            long size2 = vector.path("size2").asLong();
            assertThat(hexes(tree.consistencyPath(size1, size2)))
                    .as("consistency proof %d -> %d", size1, size2)
                    .isEqualTo(hexes(hashes(vector.path("proof"))));
        }
    }

    @Test
    void offlineVerifierAcceptsThePublishedInclusionProofsAndRefusesTheirCorruptions(@TempDir Path classes)
            throws Exception {
        Verifier verifier = Verifier.compile(classes);
        checkInclusion(verifier::rootFromInclusionProof);
    }

    @Test
    void offlineVerifierAcceptsThePublishedConsistencyProofsAndRefusesTheirCorruptions(@TempDir Path classes)
            throws Exception {
        Verifier verifier = Verifier.compile(classes);
        checkConsistency(verifier::consistent);
    }

    /** The tests' own RFC reference, which the other Merkle tests trust, holds to the same vectors. */
    @Test
    void testReferenceAgreesWithThePublishedProofs() {
        checkInclusion(Rfc9162::rootFromInclusion);
        checkConsistency(Rfc9162::consistent);
    }

    interface InclusionCheck {
        byte[] root(long leafIndex, long treeSize, byte[] leafHash, List<byte[]> proof);
    }

    interface ConsistencyCheck {
        boolean consistent(long size1, long size2, byte[] root1, byte[] root2, List<byte[]> proof);
    }

    private static void checkInclusion(InclusionCheck check) {
        for (JsonNode vector : vectors.path("inclusion")) {
            long leafIndex = vector.path("leafIndex").asLong();
            long size = vector.path("treeSize").asLong();
            List<byte[]> proof = hashes(vector.path("proof"));
            byte[] root = roots.get((int) size - 1);
            byte[] leafHash = MerkleHashes.leafHash(leaves.get((int) leafIndex));
            assertThat(check.root(leafIndex, size, leafHash, proof))
                    .as("root from the published proof of leaf %d in %d", leafIndex, size).isEqualTo(root);
            inclusionCorruptions(leafIndex, size, proof, root, leafHash).forEach((what, probe) ->
                    assertThat(probe.accepted(check)).as("leaf %d in %d, %s", leafIndex, size, what).isFalse());
        }
    }

    private static void checkConsistency(ConsistencyCheck check) {
        for (JsonNode vector : vectors.path("consistency")) {
            long size1 = vector.path("size1").asLong();
            long size2 = vector.path("size2").asLong();
            List<byte[]> proof = hashes(vector.path("proof"));
            byte[] root1 = roots.get((int) size1 - 1);
            byte[] root2 = roots.get((int) size2 - 1);
            assertThat(check.consistent(size1, size2, root1, root2, proof))
                    .as("published consistency proof %d -> %d", size1, size2).isTrue();
            if (!proof.isEmpty()) {
                consistencyCorruptions(size1, size2, root1, root2, proof).forEach((what, probe) ->
                        assertThat(probe.accepted(check)).as("%d -> %d, %s", size1, size2, what).isFalse());
            }
        }
    }

    record InclusionProbe(long leafIndex, long treeSize, byte[] root, byte[] leafHash, List<byte[]> proof) {
        boolean accepted(InclusionCheck check) {
            byte[] computed = check.root(leafIndex, treeSize, leafHash, proof);
            return computed != null && Arrays.equals(computed, root);
        }
    }

    record ConsistencyProbe(long size1, long size2, byte[] root1, byte[] root2, List<byte[]> proof) {
        boolean accepted(ConsistencyCheck check) {
            return check.consistent(size1, size2, root1, root2, proof);
        }
    }

    /** The wrong inputs the Go package's verifier tests refuse ({@code corruptInclusionProof}). */
    private static Map<String, InclusionProbe> inclusionCorruptions(long index, long size, List<byte[]> proof,
            byte[] root, byte[] leaf) {
        Map<String, InclusionProbe> probes = new LinkedHashMap<>();
        probes.put("leafIndex - 1", new InclusionProbe(index - 1, size, root, leaf, proof));
        probes.put("leafIndex + 1", new InclusionProbe(index + 1, size, root, leaf, proof));
        probes.put("leafIndex ^ 2", new InclusionProbe(index ^ 2, size, root, leaf, proof));
        probes.put("treeSize * 2", new InclusionProbe(index, size * 2, root, leaf, proof));
        probes.put("treeSize / 2", new InclusionProbe(index, size / 2, root, leaf, proof));
        probes.put("wrong leaf", new InclusionProbe(index, size, root,
                "WrongLeaf".getBytes(StandardCharsets.US_ASCII), proof));
        probes.put("empty root", new InclusionProbe(index, size, MerkleHashes.emptyRoot(), leaf, proof));
        probes.put("random root", new InclusionProbe(index, size, SOME_HASH, leaf, proof));
        probes.put("trailing garbage", new InclusionProbe(index, size, root, leaf, append(proof, new byte[0])));
        probes.put("trailing root", new InclusionProbe(index, size, root, leaf, append(proof, root)));
        probes.put("preceding garbage", new InclusionProbe(index, size, root, leaf, prepend(proof, new byte[0])));
        probes.put("preceding root", new InclusionProbe(index, size, root, leaf, prepend(proof, root)));
        for (int i = 0; i < proof.size(); i++) {
            probes.put("modified proof[" + i + "] bit 3",
                    new InclusionProbe(index, size, root, leaf, flipBit(proof, i, 8)));
        }
        if (!proof.isEmpty()) {
            probes.put("removed component",
                    new InclusionProbe(index, size, root, leaf, proof.subList(0, proof.size() - 1)));
        }
        if (proof.size() > 1) {
            List<byte[]> inserted = new ArrayList<>(List.of(proof.get(0), SOME_HASH));
            inserted.addAll(proof.subList(1, proof.size()));
            probes.put("inserted component", new InclusionProbe(index, size, root, leaf, inserted));
        }
        return probes;
    }

    /** The wrong inputs the Go package's verifier tests refuse ({@code corruptConsistencyProof}). */
    private static Map<String, ConsistencyProbe> consistencyCorruptions(long size1, long size2, byte[] root1,
            byte[] root2, List<byte[]> proof) {
        byte[] wrongRoot = "WrongRoot".getBytes(StandardCharsets.US_ASCII);
        Map<String, ConsistencyProbe> probes = new LinkedHashMap<>();
        probes.put("size1 - 1", new ConsistencyProbe(size1 - 1, size2, root1, root2, proof));
        probes.put("size1 + 1", new ConsistencyProbe(size1 + 1, size2, root1, root2, proof));
        probes.put("size1 ^ 2", new ConsistencyProbe(size1 ^ 2, size2, root1, root2, proof));
        probes.put("size2 * 2", new ConsistencyProbe(size1, size2 * 2, root1, root2, proof));
        probes.put("size2 / 2", new ConsistencyProbe(size1, size2 / 2, root1, root2, proof));
        probes.put("wrong root1", new ConsistencyProbe(size1, size2, wrongRoot, root2, proof));
        probes.put("wrong root2", new ConsistencyProbe(size1, size2, root1, wrongRoot, proof));
        probes.put("swapped roots", new ConsistencyProbe(size1, size2, root2, root1, proof));
        probes.put("empty proof", new ConsistencyProbe(size1, size2, root1, root2, List.of()));
        probes.put("trailing garbage", new ConsistencyProbe(size1, size2, root1, root2, append(proof, new byte[0])));
        probes.put("trailing root1", new ConsistencyProbe(size1, size2, root1, root2, append(proof, root1)));
        probes.put("trailing root2", new ConsistencyProbe(size1, size2, root1, root2, append(proof, root2)));
        probes.put("preceding garbage",
                new ConsistencyProbe(size1, size2, root1, root2, prepend(proof, new byte[0])));
        probes.put("preceding root1", new ConsistencyProbe(size1, size2, root1, root2, prepend(proof, root1)));
        probes.put("preceding root2", new ConsistencyProbe(size1, size2, root1, root2, prepend(proof, root2)));
        probes.put("preceding proof[0]",
                new ConsistencyProbe(size1, size2, root1, root2, prepend(proof, proof.get(0))));
        probes.put("truncated proof",
                new ConsistencyProbe(size1, size2, root1, root2, proof.subList(0, proof.size() - 1)));
        for (int i = 0; i < proof.size(); i++) {
            probes.put("modified proof[" + i + "] bit 4",
                    new ConsistencyProbe(size1, size2, root1, root2, flipBit(proof, i, 16)));
        }
        return probes;
    }

    /**
     * {@code verifier/AuditVerifier.java}, compiled from source as users run it, its RFC 9162 §2.1.3.2 and
     * §2.1.4.2 functions called directly.
     */
    private record Verifier(Method inclusion, Method consistency) {

        static Verifier compile(Path classes) throws IOException, ReflectiveOperationException {
            Path source = Path.of("verifier", "AuditVerifier.java").toAbsolutePath();
            int status = ToolProvider.getSystemJavaCompiler()
                    .run(null, null, null, "-d", classes.toString(), source.toString());
            assertThat(status).as("javac " + source).isZero();
            ClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
                    PublishedVectorsTest.class.getClassLoader());
            Class<?> type = Class.forName("AuditVerifier", true, loader);
            Method inclusion = type.getDeclaredMethod("rootFromInclusionProof", long.class, long.class,
                    byte[].class, List.class);
            Method consistency = type.getDeclaredMethod("consistent", long.class, long.class, byte[].class,
                    byte[].class, List.class);
            inclusion.setAccessible(true);
            consistency.setAccessible(true);
            return new Verifier(inclusion, consistency);
        }

        byte[] rootFromInclusionProof(long leafIndex, long treeSize, byte[] leafHash, List<byte[]> proof) {
            return (byte[]) call(inclusion, leafIndex, treeSize, leafHash, proof);
        }

        boolean consistent(long size1, long size2, byte[] root1, byte[] root2, List<byte[]> proof) {
            return (Boolean) call(consistency, size1, size2, root1, root2, proof);
        }

        private static Object call(Method method, Object... args) {
            try {
                return method.invoke(null, args);
            }
            catch (InvocationTargetException ex) {
                throw new AssertionError(method.getName() + " threw instead of answering", ex.getCause());
            }
            catch (IllegalAccessException ex) {
                throw new IllegalStateException(ex);
            }
        }
    }

    private static Map<NodeKey, byte[]> only(Map<NodeKey, byte[]> stored, Set<NodeKey> keys) {
        Map<NodeKey, byte[]> out = new HashMap<>();
        for (NodeKey key : keys) {
            if (stored.containsKey(key)) {
                out.put(key, stored.get(key));
            }
        }
        return out;
    }

    private static List<byte[]> hashes(JsonNode array) {
        List<byte[]> out = new ArrayList<>();
        array.forEach(item -> out.add(HEX.parseHex(item.asString())));
        return out;
    }

    private static List<byte[]> append(List<byte[]> proof, byte[] extra) {
        List<byte[]> out = new ArrayList<>(proof);
        out.add(extra);
        return out;
    }

    private static List<byte[]> prepend(List<byte[]> proof, byte[] extra) {
        List<byte[]> out = new ArrayList<>();
        out.add(extra);
        out.addAll(proof);
        return out;
    }

    private static List<byte[]> flipBit(List<byte[]> proof, int which, int mask) {
        byte[] flipped = proof.get(which).clone();
        flipped[0] ^= (byte) mask;
        List<byte[]> out = new ArrayList<>(proof);
        out.set(which, flipped);
        return out;
    }

    private static List<String> hexes(List<byte[]> hashes) {
        return hashes.stream().map(PublishedVectorsTest::hex).toList();
    }

    private static String hex(byte[] hash) {
        return HEX.formatHex(hash);
    }
}
