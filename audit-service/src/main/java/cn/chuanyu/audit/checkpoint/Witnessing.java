package cn.chuanyu.audit.checkpoint;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import cn.chuanyu.audit.log.LogStore;
import cn.chuanyu.audit.log.MerkleTree;
import cn.chuanyu.contracts.EventTypes;
import cn.chuanyu.contracts.WitnessAlert;
import cn.chuanyu.kit.outbox.Outbox;
import cn.chuanyu.kit.tlog.AddCheckpointRequest;
import cn.chuanyu.kit.tlog.Checkpoint;
import cn.chuanyu.kit.tlog.CosignatureVerifier;
import cn.chuanyu.kit.tlog.SignedNote;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The log as a C2SP tlog-witness client: every newly signed head goes to each configured witness with a consistency
 * proof from the size that witness last cosigned (0 at first; on 409 the size it names, once), and the cosignatures
 * that verify with the witness's configured key are collected. The published checkpoint is the latest head that
 * carries at least the policy's number of them; while witnesses are unreachable the previous one stays published.
 * A refusal (422: the log forked or went back) and a published checkpoint older than the threshold are alerts: a
 * WARN line, an {@code ops.witness-alert} audit event and {@code chuanyu_audit_witness_alerts_total}.
 * <p>
 * Submissions run on one background thread (a slow witness never holds up signing), or in the caller's thread
 * for {@code ?fresh=true}; one round at a time.
 */
@Service
public class Witnessing implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(Witnessing.class);

    /** A checkpoint with its cosignatures, and when the oldest of the counted ones was made. */
    public record Published(long treeSize, String rootHash, String checkpoint, Instant cosignedAt, int cosignatures) {
    }

    /** What the log knows of one witness. */
    public record WitnessView(String name, String url, String verifierKey, Long lastCosignedSize,
            Instant lastCosignedAt, String lastError, String refusal) {
    }

    private static final class Peer {
        final WitnessingProperties.WitnessConfig config;
        final CosignatureVerifier verifier;
        long knownSize; // what we believe the witness last cosigned: the old size of the next request
        String cosignedBody;
        List<String> cosignatureLines = List.of(); // the verified Ed25519 line, then the witness's other lines
        Long cosignedSize;
        Instant cosignedAt;
        String lastError;
        String refusal;

        Peer(WitnessingProperties.WitnessConfig config) {
            this.config = config;
            this.verifier = CosignatureVerifier.of(config.verifierKey());
        }
    }

    private final List<Peer> peers = new ArrayList<>();
    private final WitnessingProperties props;
    private final MerkleTree tree;
    private final String origin;
    private final Outbox outbox;
    private final TransactionTemplate tx;
    private final MeterRegistry meters;
    private final Clock clock;
    private final Instant startedAt;
    private final HttpClient http;
    private final ReentrantLock round = new ReentrantLock();
    private final ReentrantLock pendingLock = new ReentrantLock();
    private final Condition offered = pendingLock.newCondition();
    private TreeHead pending;
    private volatile Published published;
    private volatile boolean staleAlerted;
    private Thread worker;

    Witnessing(WitnessingProperties props, AuditLogProperties logProps, LogStore store, Outbox outbox,
            PlatformTransactionManager txManager, MeterRegistry meters, Clock clock) {
        this.props = props;
        this.tree = new MerkleTree(store);
        this.origin = logProps.origin();
        this.outbox = outbox;
        this.tx = new TransactionTemplate(txManager);
        this.meters = meters;
        this.clock = clock;
        this.startedAt = clock.instant();
        props.witnesses().forEach(w -> peers.add(new Peer(w)));
        this.http = HttpClient.newBuilder().connectTimeout(props.witnessTimeout()).build();
        if (enabled()) {
            Gauge.builder("chuanyu.audit.checkpoint.cosigned.age", this, Witnessing::ageSeconds)
                    .baseUnit("seconds")
                    .description("Age of the published checkpoint's cosignatures (since start if none yet)")
                    .register(meters);
            log.info("audit log checkpoints are published once {} of {} witness(es) cosigned them: {}",
                    props.minCosignatures(), peers.size(), peers.stream().map(p -> p.config.name()).toList());
        }
    }

    /** Whether witnesses are configured; without them the log publishes its own signed heads. */
    public boolean enabled() {
        return !peers.isEmpty();
    }

    public Optional<Published> published() {
        return Optional.ofNullable(published);
    }

    public int minCosignatures() {
        return props.minCosignatures();
    }

    public Duration alertAfter() {
        return props.witnessPolicy().alertAfter();
    }

    public List<WitnessView> witnesses() {
        round.lock();
        try {
            return peers.stream().map(p -> new WitnessView(p.config.name(), p.config.url(), p.verifier.verifierKey(),
                    p.cosignedSize, p.cosignedAt, p.lastError, p.refusal)).toList();
        }
        finally {
            round.unlock();
        }
    }

    /** Seconds since the published checkpoint was cosigned (since start while none was). */
    public double ageSeconds() {
        Published current = published;
        Instant since = current == null ? startedAt : current.cosignedAt();
        return Math.max(0, Duration.between(since, clock.instant()).toMillis() / 1000.0);
    }

    /** Hands a newly signed head to the background submitter (the latest one wins). */
    void offer(TreeHead head) {
        if (!enabled()) {
            return;
        }
        pendingLock.lock();
        try {
            pending = head;
            offered.signalAll();
        }
        finally {
            pendingLock.unlock();
        }
    }

    /** Submits {@code head} now, in this thread, and returns what is published afterwards. */
    Optional<Published> cosignNow(TreeHead head) {
        submit(head, true);
        return published();
    }

    private void submit(TreeHead head, boolean force) {
        round.lock();
        try {
            String body = SignedNote.parse(head.checkpoint()).text();
            Checkpoint checkpoint = Checkpoint.parse(body);
            Instant now = clock.instant();
            for (Peer peer : peers) {
                boolean fresh = body.equals(peer.cosignedBody) && peer.cosignedAt != null
                        && peer.cosignedAt.plus(props.witnessPolicy().refreshAfter()).isAfter(now);
                if (force || !fresh) {
                    submit(peer, head, checkpoint);
                }
            }
            List<String> lines = new ArrayList<>();
            int cosigners = 0;
            Instant oldest = null;
            for (Peer peer : peers) {
                if (body.equals(peer.cosignedBody)) {
                    lines.addAll(peer.cosignatureLines);
                    cosigners++;
                    oldest = oldest == null || peer.cosignedAt.isBefore(oldest) ? peer.cosignedAt : oldest;
                }
            }
            if (cosigners >= props.minCosignatures()) {
                Published previous = published;
                Instant at = oldest == null ? now : oldest;
                if (previous == null || previous.treeSize() <= checkpoint.size()) {
                    published = new Published(checkpoint.size(), head.rootHash(),
                            SignedNote.parse(head.checkpoint()).withSignatures(lines).format(), at, cosigners);
                    staleAlerted = false;
                }
            }
        }
        finally {
            round.unlock();
        }
        checkAge();
    }

    private void submit(Peer peer, TreeHead head, Checkpoint checkpoint) {
        for (int attempt = 0; attempt < 2; attempt++) {
            long old = peer.knownSize;
            List<byte[]> proof = old <= 0 || old >= checkpoint.size() ? List.of()
                    : tree.consistencyPath(old, checkpoint.size());
            String request = new AddCheckpointRequest(old, proof, head.checkpoint()).format();
            HttpResponse<String> response;
            try {
                response = http.send(HttpRequest.newBuilder(URI.create(peer.config.url() + "/add-checkpoint"))
                        .timeout(props.witnessTimeout())
                        .header("Content-Type", "text/plain; charset=utf-8")
                        .POST(HttpRequest.BodyPublishers.ofString(request, StandardCharsets.UTF_8)).build(),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            }
            catch (IOException ex) {
                unreachable(peer, "unreachable: " + ex);
                return;
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            }
            switch (response.statusCode()) {
                case 200 -> {
                    accept(peer, checkpoint, response.body());
                    return;
                }
                case 409 -> {
                    try {
                        peer.knownSize = Checkpoint.decimal(response.body().trim(), "size");
                    }
                    catch (IllegalArgumentException ex) {
                        unreachable(peer, "409 without a size: " + ex.getMessage());
                        return;
                    }
                }
                case 422 -> {
                    refused(peer, checkpoint, response.body());
                    return;
                }
                default -> {
                    unreachable(peer, "answered " + response.statusCode() + ": " + firstLine(response.body()));
                    return;
                }
            }
        }
        unreachable(peer, "still 409 after retrying from the size it named (" + peer.knownSize + ")");
    }

    private void accept(Peer peer, Checkpoint checkpoint, String lines) {
        String body = checkpoint.body();
        Optional<CosignatureVerifier.Cosignature> cosignature = Optional.empty();
        for (String line : lines.split("\n")) {
            Optional<CosignatureVerifier.Cosignature> one = peer.verifier.verifyLine(body, line);
            if (one.isPresent()) {
                cosignature = one;
            }
        }
        if (cosignature.isEmpty()) {
            unreachable(peer, "answered 200 without a cosignature that verifies with its configured key");
            return;
        }
        peer.knownSize = checkpoint.size();
        peer.cosignedBody = body;
        peer.cosignatureLines = withCompanions(peer, cosignature.get(), lines);
        peer.cosignedSize = checkpoint.size();
        peer.cosignedAt = cosignature.get().time();
        peer.lastError = null;
        peer.refusal = null;
    }

    /**
     * The verified Ed25519 line, then the witness's other cosignature lines made in the same act: the SM2 line a
     * witness adds when the SM2 suite is on (same name, another key id, same timestamp). Those are carried into the
     * published checkpoint unverified, for whoever holds the witness's SM2 key (GET /api/v1/witness/public-key
     * ?suite=sm2): the log needs no second key per witness, the policy counts only the verified Ed25519 cosignature,
     * and a verifier skips a key id it does not trust. A line under the Ed25519 key id that did not verify is dropped.
     */
    private static List<String> withCompanions(Peer peer, CosignatureVerifier.Cosignature verified, String lines) {
        List<String> out = new ArrayList<>(List.of(verified.line()));
        String prefix = SignedNote.SIGNATURE_PREFIX + peer.config.name() + " ";
        byte[] ed25519Id = HexFormat.of().parseHex(peer.verifier.verifierKey().split("\\+", 3)[1]);
        for (String line : lines.split("\n")) {
            if (!line.startsWith(prefix) || line.equals(verified.line()) || out.contains(line)) {
                continue;
            }
            byte[] blob;
            try {
                blob = Base64.getDecoder().decode(line.substring(prefix.length()));
            }
            catch (IllegalArgumentException ex) {
                continue;
            }
            if (blob.length > 12 && !Arrays.equals(Arrays.copyOf(blob, 4), ed25519Id)
                    && ByteBuffer.wrap(blob, 4, 8).getLong() == verified.time().getEpochSecond()) {
                out.add(line);
            }
        }
        return List.copyOf(out);
    }

    private void unreachable(Peer peer, String error) {
        if (!error.equals(peer.lastError)) {
            log.info("witness {} did not cosign: {}", peer.config.name(), error);
        }
        peer.lastError = error;
    }

    private void refused(Peer peer, Checkpoint presented, String answer) {
        String reason = firstLine(answer);
        Checkpoint known = null;
        int blank = answer.indexOf("\n\n");
        if (blank >= 0 && answer.length() > blank + 2) {
            try {
                known = Checkpoint.parse(answer.substring(blank + 2));
            }
            catch (IllegalArgumentException ex) {
                // The witness named no parsable head: the alert carries its reason only.
            }
        }
        boolean first = peer.refusal == null;
        peer.refusal = reason;
        peer.lastError = "refused: " + reason;
        if (!first) {
            return; // one alert per refusing witness until it cosigns again
        }
        String witnessHead = known == null ? "unknown" : known.describe();
        log.warn("ALERT witness {} refused the audit log's checkpoint: {} (witness's head: {}; the log's new head: "
                + "{})", peer.config.name(), reason, witnessHead, presented.describe());
        alert(new WitnessAlert("refused", peer.config.name(), reason, known == null ? null : known.size(),
                known == null ? null : Base64.getEncoder().encodeToString(known.rootHash()), presented.size(),
                Base64.getEncoder().encodeToString(presented.rootHash()), currentAge()));
    }

    /** Raises the stale alert once when the published checkpoint (or the wait for a first one) passes the threshold. */
    void checkAge() {
        if (!enabled() || staleAlerted || ageSeconds() < alertAfter().toSeconds()) {
            return;
        }
        staleAlerted = true;
        List<String> missing = witnesses().stream().filter(w -> w.lastError() != null)
                .map(w -> w.name() + " (" + w.lastError() + ")").toList();
        Published current = published;
        String reason = "no checkpoint cosigned by " + minCosignatures() + " witness(es) for " + (long) ageSeconds()
                + " s (threshold " + alertAfter().toSeconds() + " s); not cosigning: " + missing;
        log.warn("ALERT {}", reason);
        alert(new WitnessAlert("stale", String.join(",", witnesses().stream().filter(w -> w.lastError() != null)
                .map(WitnessView::name).toList()), reason, null, null, current == null ? 0 : current.treeSize(),
                current == null ? null : Base64.getEncoder().encodeToString(
                        cn.chuanyu.audit.log.MerkleHashes.unhex(current.rootHash())), currentAge()));
    }

    private Long currentAge() {
        return published == null ? null : (long) ageSeconds();
    }

    private void alert(WitnessAlert alert) {
        Counter.builder("chuanyu.audit.witness.alerts").tag("kind", alert.kind())
                .description("Witness alerts: refused checkpoints and stale cosignatures").register(meters).increment();
        try {
            tx.executeWithoutResult(status -> outbox.append(EventTypes.OPS_WITNESS_ALERT, origin, null, null, alert));
        }
        catch (RuntimeException ex) {
            log.warn("could not record the witness alert as an audit event: {}", ex.getMessage());
        }
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int nl = text.indexOf('\n');
        String line = nl < 0 ? text : text.substring(0, nl);
        return line.length() > 500 ? line.substring(0, 500) + "..." : line;
    }

    @Override
    public synchronized void start() {
        if (!enabled() || worker != null) {
            return;
        }
        worker = new Thread(this::work, "checkpoint-witnessing");
        worker.setDaemon(true);
        worker.start();
    }

    private void work() {
        while (!Thread.currentThread().isInterrupted()) {
            TreeHead head;
            pendingLock.lock();
            try {
                if (pending == null) {
                    offered.await(1, TimeUnit.SECONDS);
                }
                head = pending;
                pending = null;
            }
            catch (InterruptedException ex) {
                return;
            }
            finally {
                pendingLock.unlock();
            }
            try {
                if (head != null) {
                    submit(head, false);
                }
                else {
                    checkAge();
                }
            }
            catch (RuntimeException ex) {
                log.warn("submitting the checkpoint to the witnesses failed: {}", ex.toString());
            }
        }
    }

    @Override
    public synchronized void stop() {
        if (worker != null) {
            worker.interrupt();
            worker = null;
        }
    }

    @Override
    public boolean isRunning() {
        return worker != null;
    }
}
