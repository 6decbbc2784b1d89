package cn.chuanyu.kit.tlog;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import cn.chuanyu.kit.identity.Ed25519Keys;
import cn.chuanyu.kit.test.ChildProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The shared transparency-log checks against a naive RFC 9162 tree, and cosignatures against OpenSSL. */
class TlogTest {

    @TempDir
    Path dir;

    @Test
    void consistencyProofsOfEveryPairOfSizesVerifyAndAnyAlterationFails() {
        List<byte[]> leaves = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            leaves.add(MerkleProofs.leafHash(("entry " + i).getBytes(StandardCharsets.UTF_8)));
        }
        for (int n = 1; n <= leaves.size(); n++) {
            byte[] newRoot = root(leaves.subList(0, n));
            for (int m = 0; m <= n; m++) {
                byte[] oldRoot = m == 0 ? MerkleProofs.emptyRoot() : root(leaves.subList(0, m));
                List<byte[]> proof = m == 0 ? List.of() : proof(m, leaves.subList(0, n), true);
                assertThat(MerkleProofs.consistent(m, n, oldRoot, newRoot, proof)).as(m + " -> " + n).isTrue();
                if (!proof.isEmpty()) {
                    List<byte[]> bad = new ArrayList<>(proof);
                    byte[] flipped = bad.get(bad.size() - 1).clone();
                    flipped[0] ^= 1;
                    bad.set(bad.size() - 1, flipped);
                    assertThat(MerkleProofs.consistent(m, n, oldRoot, newRoot, bad)).isFalse();
                }
                if (m > 0) {
                    // A log that rewrote leaf 0 after the old head: the old root no longer follows.
                    List<byte[]> forked = new ArrayList<>(leaves.subList(0, n));
                    forked.set(0, MerkleProofs.leafHash("rewritten".getBytes(StandardCharsets.UTF_8)));
                    assertThat(MerkleProofs.consistent(m, n, oldRoot, root(forked), proof(m, forked, true)))
                            .as("fork " + m + " -> " + n).isFalse();
                }
            }
            for (int i = 0; i < n; i++) {
                List<byte[]> path = inclusion(i, leaves.subList(0, n));
                assertThat(MerkleProofs.includes(i, n, leaves.get(i), path, newRoot)).isTrue();
                assertThat(MerkleProofs.includes(i, n, leaves.get((i + 1) % 40), path, newRoot)).isFalse();
            }
        }
        assertThat(MerkleProofs.consistent(5, 4, root(leaves.subList(0, 5)), root(leaves.subList(0, 4)), List.of()))
                .as("a smaller tree never extends a larger one").isFalse();
    }

    @Test
    void aCosignatureVerifiesHereAndWithOpenSsl() throws Exception {
        KeyPair keys = Ed25519Keys.generate();
        CosignatureSigner signer = new CosignatureSigner("witness.example/w1", keys);
        Checkpoint checkpoint = new Checkpoint("example.com/log", 42, MerkleProofs.leafHash(new byte[] {1}));
        Instant time = Instant.ofEpochSecond(1_700_000_000L);
        String line = signer.cosign(checkpoint.body(), time);
        assertThat(line).startsWith("\u2014 witness.example/w1 ").endsWith("\n");
        assertThat(signer.verifierKey()).matches("witness\\.example/w1\\+[0-9a-f]{8}\\+B.*");

        CosignatureVerifier verifier = CosignatureVerifier.of(signer.verifierKey());
        String note = checkpoint.body() + "\n\u2014 example.com/log AAAA\n" + line;
        assertThat(verifier.find(note)).hasValueSatisfying(c -> assertThat(c.time()).isEqualTo(time));
        // The same line under another checkpoint, or by another key, is no cosignature.
        Checkpoint other = new Checkpoint("example.com/log", 43, checkpoint.rootHash());
        assertThat(verifier.verifyLine(other.body(), line)).isEmpty();
        CosignatureVerifier stranger = CosignatureVerifier.of(
                new CosignatureSigner("witness.example/w1", Ed25519Keys.generate()).verifierKey());
        assertThat(stranger.find(note)).isEmpty();
        String[] parts = signer.verifierKey().split("\\+", 3);
        // The same key under another type byte is not a cosigner key.
        assertThatThrownBy(() -> CosignatureVerifier.of(parts[0] + "+" + parts[1] + "+A" + parts[2].substring(1)))
                .isInstanceOf(IllegalArgumentException.class);

        // By hand, as the README shows: the last 64 bytes are an Ed25519 signature over the cosigned message.
        byte[] blob = Base64.getDecoder().decode(line.trim().split(" ")[2]);
        Path message = Files.write(dir.resolve("message"), CosignatureSigner.signedMessage(checkpoint.body(),
                time.getEpochSecond()));
        Path signature = Files.write(dir.resolve("signature"), Arrays.copyOfRange(blob, 12, blob.length));
        Path publicKey = Files.writeString(dir.resolve("key.pem"), Ed25519Keys.toPem(keys.getPublic()));
        ChildProcess.Result result = ChildProcess.run(List.of("openssl", "pkeyutl", "-verify", "-pubin", "-inkey",
                publicKey.toString(), "-rawin", "-in", message.toString(), "-sigfile", signature.toString()),
                Duration.ofSeconds(30));
        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(new String(Files.readAllBytes(message), StandardCharsets.UTF_8))
                .isEqualTo("cosignature/v1\ntime 1700000000\nexample.com/log\n42\n"
                        + Base64.getEncoder().encodeToString(checkpoint.rootHash()) + "\n");
    }

    @Test
    void requestsAndCheckpointsRoundTripAndMalformedOnesAreRefused() {
        Checkpoint checkpoint = new Checkpoint("example.com/log", 7, MerkleProofs.emptyRoot());
        String note = checkpoint.body() + "\n\u2014 example.com/log AAAA\n";
        AddCheckpointRequest request = new AddCheckpointRequest(3, List.of(MerkleProofs.emptyRoot()), note);
        AddCheckpointRequest parsed = AddCheckpointRequest.parse(request.format());
        assertThat(parsed.oldSize()).isEqualTo(3);
        assertThat(parsed.proof()).hasSize(1);
        assertThat(parsed.checkpoint()).isEqualTo(note);
        assertThat(Checkpoint.parse(parsed.checkpoint())).isEqualTo(checkpoint);
        assertThat(SignedNote.parse(note).withSignatures(List.of("\u2014 w AAAA\n")).format())
                .isEqualTo(note + "\u2014 w AAAA\n");
        for (String bad : List.of("old 01\n\n" + note, "old 0\nAAAA\n\n" + note, "new 3\n\n" + note, "old 3\n" + note,
                "old 3\nnot base64!\n\n" + note)) {
            assertThatThrownBy(() -> AddCheckpointRequest.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> Checkpoint.parse("o\n-1\nAAAA\n")).isInstanceOf(IllegalArgumentException.class);
    }

    // The naive RFC 9162 definitions, straight from §2.1.

    static byte[] root(List<byte[]> leaves) {
        if (leaves.size() == 1) {
            return leaves.get(0);
        }
        int k = Integer.highestOneBit(leaves.size() - 1);
        return MerkleProofs.nodeHash(root(leaves.subList(0, k)), root(leaves.subList(k, leaves.size())));
    }

    static List<byte[]> proof(int m, List<byte[]> leaves, boolean b) {
        int n = leaves.size();
        List<byte[]> out = new ArrayList<>();
        if (m == n) {
            if (!b) {
                out.add(root(leaves));
            }
            return out;
        }
        int k = Integer.highestOneBit(n - 1);
        if (m <= k) {
            out.addAll(proof(m, leaves.subList(0, k), b));
            out.add(root(leaves.subList(k, n)));
        }
        else {
            out.addAll(proof(m - k, leaves.subList(k, n), false));
            out.add(root(leaves.subList(0, k)));
        }
        return out;
    }

    static List<byte[]> inclusion(int m, List<byte[]> leaves) {
        int n = leaves.size();
        List<byte[]> out = new ArrayList<>();
        if (n == 1) {
            return out;
        }
        int k = Integer.highestOneBit(n - 1);
        if (m < k) {
            out.addAll(inclusion(m, leaves.subList(0, k)));
            out.add(root(leaves.subList(k, n)));
        }
        else {
            out.addAll(inclusion(m - k, leaves.subList(k, n)));
            out.add(root(leaves.subList(0, k)));
        }
        return out;
    }
}
