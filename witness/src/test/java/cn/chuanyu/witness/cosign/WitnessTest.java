package cn.chuanyu.witness.cosign;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import cn.chuanyu.kit.crypto.CryptoProperties;
import cn.chuanyu.kit.note.Sm2NoteSignature;
import cn.chuanyu.kit.test.OpenSsl;
import cn.chuanyu.kit.tlog.AddCheckpointRequest;
import cn.chuanyu.kit.tlog.Checkpoint;
import cn.chuanyu.kit.tlog.CosignatureVerifier;
import cn.chuanyu.kit.tlog.SignedNote;
import cn.chuanyu.kit.tlog.Sm2Cosignature;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The witness protocol of C2SP tlog-witness, on the witness itself (no HTTP): see {@code WitnessIT} for that. */
class WitnessTest {

    static final Instant NOW = Instant.parse("2026-12-02T08:00:00Z");

    @TempDir
    Path dir;

    final TestLog log = new TestLog("chuanyu.test/audit-log").grow(10);

    Witness witness() {
        return witness(false);
    }

    Witness witness(boolean sm2) {
        WitnessProperties props = new WitnessProperties("witness.test", dir.resolve("witness.key").toString(),
                dir.resolve("state").toString(), List.of(WitnessProperties.WitnessedLog.of(log.signer.verifierKey())));
        return new Witness(props, CryptoProperties.sm2Enabled(sm2), Clock.fixed(NOW, ZoneOffset.UTC),
                new SimpleMeterRegistry());
    }

    @Test
    void withTheSm2SuiteOnAddsAnSm2CosignatureThatOpenSslVerifiesAfterTheUnchangedEd25519Line() throws Exception {
        assertThat(witness().sm2()).isEmpty();
        assertThat(witness().addCheckpoint(log.request(0, 10)).body().split("\n")).hasSize(1);
        log.grow(2);

        Witness witness = witness(true);
        assertThat(dir.resolve("witness-sm2.key")).doesNotExist(); // the test key is "witness.key": beside it
        assertThat(dir.resolve("witness.key.sm2")).exists();
        Witness.Outcome outcome = witness.addCheckpoint(log.request(10, 12));
        assertThat(outcome.status()).as(outcome.body()).isEqualTo(200);
        String[] lines = outcome.body().split("\n");
        assertThat(lines).hasSize(2);
        String body = Checkpoint.parse(log.checkpoint(12)).body();
        CosignatureVerifier ed25519 = CosignatureVerifier.of(witness.signer().verifierKey());
        assertThat(ed25519.verifyLine(body, lines[0])).hasValueSatisfying(c -> assertThat(c.time()).isEqualTo(NOW));
        assertThat(ed25519.verifyLine(body, lines[1])).isEmpty(); // another key id: ignored, not a forgery
        assertThat(lines[1]).startsWith("\u2014 witness.test ");

        Sm2Cosignature sm2 = witness.sm2().orElseThrow();
        byte[] blob = Base64.getDecoder().decode(lines[1].substring("\u2014 witness.test ".length()));
        assertThat(Arrays.copyOf(blob, 4)).isEqualTo(Sm2NoteSignature.keyId("witness.test", sm2.publicKey()));
        assertThat(ByteBuffer.wrap(blob, 4, 8).getLong()).isEqualTo(NOW.getEpochSecond());
        byte[] message = ("cosignature/v1\ntime " + NOW.getEpochSecond() + "\n" + body)
                .getBytes(StandardCharsets.UTF_8);
        byte[] der = Arrays.copyOfRange(blob, 12, blob.length);
        OpenSsl openssl = new OpenSsl(dir);
        assertThat(openssl.verifySm2(sm2.publicKeyPem(), message, der)).isTrue();
        byte[] otherTime = ("cosignature/v1\ntime " + (NOW.getEpochSecond() + 1) + "\n" + body)
                .getBytes(StandardCharsets.UTF_8);
        assertThat(openssl.verifySm2(sm2.publicKeyPem(), otherTime, der)).isFalse();
        assertThat(Sm2Cosignature.verifyLine(body, lines[1], "witness.test", sm2.publicKey())).hasValue(NOW);
        assertThat(Sm2Cosignature.verifyLine(body, lines[0], "witness.test", sm2.publicKey())).isEmpty();

        // The key survives a restart (made once, beside the Ed25519 key).
        assertThat(witness(true).sm2().orElseThrow().publicKeyPem()).isEqualTo(sm2.publicKeyPem());
    }

    @Test
    void cosignsAFirstCheckpointThenOneThatExtendsIt() {
        Witness witness = witness();
        Witness.Outcome first = witness.addCheckpoint(log.request(0, 10));
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        CosignatureVerifier verifier = CosignatureVerifier.of(witness.signer().verifierKey());
        String cosigned = SignedNote.parse(log.checkpoint(10)).withSignatures(List.of(first.body())).format();
        assertThat(verifier.find(cosigned)).hasValueSatisfying(c -> assertThat(c.time()).isEqualTo(NOW));

        log.grow(7);
        Witness.Outcome second = witness.addCheckpoint(log.request(10, 17));
        assertThat(second.status()).as(second.body()).isEqualTo(200);
        assertThat(Checkpoint.parse(witness.latest(log.signer.name()).orElseThrow()).size()).isEqualTo(17);
        // The same head again is cosigned afresh (a newer timestamp: still the largest the witness has seen).
        assertThat(witness.addCheckpoint(log.request(17, 17)).status()).isEqualTo(200);
    }

    @Test
    void answers409WithTheSizeItKnowsAndKeepsItAcrossARestart() {
        assertThat(witness().addCheckpoint(log.request(0, 10)).status()).isEqualTo(200);
        log.grow(5);
        Witness restarted = witness();
        Witness.Outcome stale = restarted.addCheckpoint(log.request(0, 15));
        assertThat(stale.status()).isEqualTo(409);
        assertThat(stale.body()).isEqualTo("10\n");
        assertThat(restarted.addCheckpoint(log.request(7, 15)).status()).isEqualTo(409);
        assertThat(restarted.addCheckpoint(log.request(10, 15)).status()).isEqualTo(200);
    }

    @Test
    void refusesABadProofARewrittenLeafAForkAndARollbackWith422NamingItsHead() throws Exception {
        Witness witness = witness();
        assertThat(witness.addCheckpoint(log.request(0, 10)).status()).isEqualTo(200);
        log.grow(6);

        AddCheckpointRequest good = AddCheckpointRequest.parse(log.request(10, 16));
        List<byte[]> flipped = new ArrayList<>(good.proof());
        byte[] hash = flipped.get(0).clone();
        hash[5] ^= 0x10;
        flipped.set(0, hash);
        Witness.Outcome badProof = witness.addCheckpoint(
                new AddCheckpointRequest(10, flipped, good.checkpoint()).format());
        assertThat(badProof.status()).isEqualTo(422);
        assertThat(badProof.body()).contains("does not verify").contains("size 10, root "
                + Base64.getEncoder().encodeToString(log.root(10))).endsWith(log.checkpoint(10));

        log.rewrite(3);
        Witness.Outcome rewritten = witness.addCheckpoint(log.request(10, 16));
        assertThat(rewritten.status()).isEqualTo(422);
        Witness.Outcome sameSizeFork = witness.addCheckpoint(log.request(10, 10));
        assertThat(sameSizeFork.status()).isEqualTo(422);
        assertThat(sameSizeFork.body()).startsWith("a fork");
        Witness.Outcome rollback = witness.addCheckpoint(log.request(0, 8).replaceFirst("old 0", "old 10"));
        assertThat(rollback.status()).isEqualTo(422);
        assertThat(rollback.body()).startsWith("the log went back");
        // Nothing refused was recorded: the witness still holds the first head, and kept every refusal as evidence.
        assertThat(Checkpoint.parse(witness.latest(log.signer.name()).orElseThrow()).size()).isEqualTo(10);
        try (var files = Files.list(dir.resolve("state").resolve("refused"))) {
            assertThat(files.count()).isEqualTo(4);
        }
    }

    @Test
    void refusesUnknownLogsForeignSignaturesAndMalformedRequests() {
        Witness witness = witness();
        TestLog stranger = new TestLog("chuanyu.test/other-log").grow(3);
        assertThat(witness.addCheckpoint(stranger.request(0, 3)).status()).isEqualTo(404);
        TestLog impostor = new TestLog("chuanyu.test/audit-log").grow(3);
        assertThat(witness.addCheckpoint(impostor.request(0, 3)).status()).isEqualTo(403);
        assertThat(witness.addCheckpoint("old 0\n" + log.checkpoint(10)).status()).isEqualTo(400);
        assertThat(witness.addCheckpoint(log.request(0, 10).replaceFirst("old 0", "old 11")).status())
                .isEqualTo(400);
    }

    @Test
    void ofConcurrentSubmissionsFromOneOldSizeExactlyOneWins() throws Exception {
        Witness witness = witness();
        assertThat(witness.addCheckpoint(log.request(0, 10)).status()).isEqualTo(200);
        log.grow(8);
        int threads = 8;
        List<String> requests = new ArrayList<>();
        for (int i = 1; i <= threads; i++) {
            requests.add(log.request(10, 10 + i));
        }
        CyclicBarrier barrier = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Witness.Outcome>> outcomes = new ArrayList<>();
            for (String request : requests) {
                outcomes.add(pool.submit(() -> {
                    barrier.await(10, TimeUnit.SECONDS);
                    return witness.addCheckpoint(request);
                }));
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Witness.Outcome> outcome : outcomes) {
                statuses.add(outcome.get(30, TimeUnit.SECONDS).status());
            }
            assertThat(statuses).filteredOn(s -> s == 200).hasSize(1);
            assertThat(statuses).filteredOn(s -> s == 409).hasSize(threads - 1);
            long winner = 10 + statuses.indexOf(200) + 1;
            assertThat(Checkpoint.parse(witness.latest(log.signer.name()).orElseThrow()).size()).isEqualTo(winner);
        }
        finally {
            pool.shutdownNow();
        }
    }
}
