package cn.chuanyu.witness.cosign;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

import cn.chuanyu.kit.crypto.CryptoProperties;
import cn.chuanyu.kit.crypto.Sm2Keys;
import cn.chuanyu.kit.keys.KeyFiles;
import cn.chuanyu.kit.note.NoteVerifier;
import cn.chuanyu.kit.tlog.AddCheckpointRequest;
import cn.chuanyu.kit.tlog.Checkpoint;
import cn.chuanyu.kit.tlog.CosignatureSigner;
import cn.chuanyu.kit.tlog.MerkleProofs;
import cn.chuanyu.kit.tlog.SignedNote;
import cn.chuanyu.kit.tlog.Sm2Cosignature;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * The witness of C2SP tlog-witness: checks a submitted checkpoint against the log's key and against the latest
 * checkpoint it cosigned for that log, and cosigns it only if it extends that one. The check of the old size and
 * the write of the new checkpoint happen under one lock per log, so two submissions with the same old size cannot
 * both win (the spec's compare-and-swap; otherwise a slower, smaller one could roll the record back).
 */
@Service
public class Witness {

    private static final Logger log = LoggerFactory.getLogger(Witness.class);

    /**
     * What {@code add-checkpoint} answers: 200 with the cosignature line(s); 409 with the size of the latest cosigned
     * checkpoint; 422 when the checkpoint does not extend it (a bad proof, a fork, or the log went back), with the
     * reason, a blank line and that checkpoint; 400, 403 or 404 with a reason.
     */
    public record Outcome(int status, String body) {

        static Outcome cosigned(String lines) {
            return new Outcome(200, lines);
        }

        static Outcome conflict(long knownSize) {
            return new Outcome(409, knownSize + "\n");
        }

        static Outcome refused(String reason, String knownCheckpoint) {
            return new Outcome(422, reason + "\n\n" + (knownCheckpoint == null ? "" : knownCheckpoint));
        }

        static Outcome rejected(int status, String reason) {
            return new Outcome(status, reason + "\n");
        }
    }

    private final CheckpointStore store;
    private final CosignatureSigner signer;
    private final Sm2Cosignature sm2; // null while the SM2 suite is off
    private final Map<String, NoteVerifier> logs = new LinkedHashMap<>();
    private final Map<String, ReentrantLock> locks = new LinkedHashMap<>();
    private final Clock clock;
    private final MeterRegistry meters;

    Witness(WitnessProperties props, CryptoProperties crypto, Clock clock, MeterRegistry meters) {
        this.store = new CheckpointStore(props.statePath());
        this.signer = new CosignatureSigner(props.name(), KeyFiles.ed25519(props.keyPath()));
        // Beside the Ed25519 key (witness-ed25519.key -> witness-sm2.key), made on first start like it.
        this.sm2 = crypto.sm2Enabled()
                ? new Sm2Cosignature(props.name(), Sm2Keys.keyFile(Sm2Keys.fileBeside(props.keyPath())))
                : null;
        this.clock = clock;
        this.meters = meters;
        for (WitnessProperties.WitnessedLog witnessed : props.logs()) {
            if (logs.put(witnessed.origin(), NoteVerifier.of(witnessed.verifierKey())) != null) {
                throw new IllegalStateException("chuanyu.witness.logs names " + witnessed.origin() + " twice");
            }
            locks.put(witnessed.origin(), new ReentrantLock());
        }
        log.info("witness {} (key {}{}) witnesses {} log(s): {}", props.name(), signer.verifierKey(),
                sm2 == null ? "" : ", and an SM2 key", logs.size(), logs.keySet());
    }

    public CosignatureSigner signer() {
        return signer;
    }

    /** The SM2 cosigner, present when the SM2 suite is on ({@code chuanyu.crypto.sm2.enabled}). */
    public Optional<Sm2Cosignature> sm2() {
        return Optional.ofNullable(sm2);
    }

    /** The latest cosigned checkpoint of {@code origin}, as the log sent it. */
    public Optional<String> latest(String origin) {
        return store.latest(origin).map(CheckpointStore.Stored::note);
    }

    public Outcome addCheckpoint(String body) {
        Outcome outcome = decide(body);
        Counter.builder("chuanyu.witness.add.checkpoint").tag("status", String.valueOf(outcome.status()))
                .register(meters).increment();
        return outcome;
    }

    private Outcome decide(String body) {
        AddCheckpointRequest request;
        Checkpoint checkpoint;
        try {
            request = AddCheckpointRequest.parse(body);
            SignedNote.parse(request.checkpoint());
            checkpoint = Checkpoint.parse(request.checkpoint());
        }
        catch (IllegalArgumentException ex) {
            return Outcome.rejected(400, ex.getMessage());
        }
        NoteVerifier verifier = logs.get(checkpoint.origin());
        if (verifier == null) {
            return Outcome.rejected(404, "this witness does not witness the log " + checkpoint.origin());
        }
        try {
            verifier.verify(request.checkpoint());
        }
        catch (NoteVerifier.InvalidNoteException ex) {
            return Outcome.rejected(403, "no signature of a trusted key of " + checkpoint.origin() + " verifies: "
                    + ex.getMessage());
        }
        ReentrantLock lock = locks.get(checkpoint.origin());
        lock.lock();
        try {
            return decideLocked(request, checkpoint, body);
        }
        finally {
            lock.unlock();
        }
    }

    private Outcome decideLocked(AddCheckpointRequest request, Checkpoint checkpoint, String body) {
        Optional<CheckpointStore.Stored> known = store.latest(checkpoint.origin());
        long knownSize = known.map(s -> s.checkpoint().size()).orElse(0L);
        String knownNote = known.map(CheckpointStore.Stored::note).orElse(null);
        if (request.oldSize() > checkpoint.size()) {
            if (known.isPresent() && request.oldSize() == knownSize) {
                // The spec answers 400 to any old size above the new one; when the old size is the one this
                // witness cosigned, the log itself says it went back: a refusal like a fork.
                return refuse(checkpoint, "the log went back: it was cosigned at " + known.get().checkpoint()
                        .describe() + " and now presents " + checkpoint.describe(), body, knownNote);
            }
            return Outcome.rejected(400, "the old size " + request.oldSize() + " exceeds the checkpoint's size "
                    + checkpoint.size());
        }
        if (request.oldSize() != knownSize) {
            return Outcome.conflict(knownSize);
        }
        if (known.isPresent()) {
            Checkpoint previous = known.get().checkpoint();
            if (previous.size() == checkpoint.size() && !previous.equals(checkpoint)) {
                // The spec answers 409 here; it is a fork (two heads of one size), refused like a bad proof.
                return refuse(checkpoint, "a fork: cosigned " + previous.describe() + ", now presented "
                        + checkpoint.describe(), body, knownNote);
            }
            if (!MerkleProofs.consistent(previous.size(), checkpoint.size(), previous.rootHash(),
                    checkpoint.rootHash(), request.proof())) {
                return refuse(checkpoint, "the consistency proof from the cosigned " + previous.describe() + " to "
                        + checkpoint.describe() + " does not verify", body, knownNote);
            }
        }
        if (known.isEmpty() || !known.get().checkpoint().equals(checkpoint)) {
            store.save(request.checkpoint(), checkpoint);
        }
        // The Ed25519 line first and as before; the SM2 line, same name, time and message, after it: a client that
        // knows only cosignature/v1 finds its key id on the first and ignores the second.
        Instant now = clock.instant();
        String lines = signer.cosign(checkpoint.body(), now);
        return Outcome.cosigned(sm2 == null ? lines : lines + sm2.cosign(checkpoint.body(), now));
    }

    private Outcome refuse(Checkpoint checkpoint, String reason, String body, String knownNote) {
        Instant now = clock.instant();
        log.warn("witness refuses a checkpoint of {}: {}", checkpoint.origin(), reason);
        store.keepRefusal(checkpoint.origin(), reason, body, knownNote, now);
        return Outcome.refused(reason, knownNote);
    }
}
