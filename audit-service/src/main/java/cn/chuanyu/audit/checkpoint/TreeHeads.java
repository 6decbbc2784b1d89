package cn.chuanyu.audit.checkpoint;

import cn.chuanyu.kit.crypto.CryptoProperties;
import cn.chuanyu.kit.note.NoteSigner;
import cn.chuanyu.kit.note.NoteSigners;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import cn.chuanyu.audit.log.LogStore;
import cn.chuanyu.audit.log.MerkleHashes;
import cn.chuanyu.audit.log.MerkleTree;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Service;

/**
 * Signs the current tree head on an interval and on demand. The checkpoint body is exactly the three lines of
 * C2SP tlog-checkpoint (origin, decimal tree size, base64 root hash); each new size's head is also stored in
 * {@code tree_head} (append-only), so {@code verify} can later show that the log still has every signed root.
 */
@Service
public class TreeHeads implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(TreeHeads.class);

    private final LogStore store;
    private final MerkleTree tree;
    private final NoteSigner signer;
    private final AuditLogProperties props;
    private final Clock clock;
    private final Witnessing witnessing;
    private volatile TreeHead latest;
    private ScheduledExecutorService scheduler;

    TreeHeads(LogStore store, AuditLogProperties props, Clock clock, CryptoProperties crypto, Witnessing witnessing) {
        this.store = store;
        this.witnessing = witnessing;
        this.tree = new MerkleTree(store);
        this.props = props;
        this.clock = clock;
        // With the SM2 suite on, every checkpoint also carries an SM2 line (key file beside the Ed25519 one).
        this.signer = NoteSigners.load(props.origin(), props.signingKeyPath(), crypto);
        log.info("audit log '{}' signs tree heads with key {} (file {})", props.origin(), signer.verifierKey(),
                props.signingKeyPath().toAbsolutePath());
        signer.sm2().ifPresent(sm2 -> log.info("audit log '{}' also signs with SM2 key {}", props.origin(),
                sm2.verifierKey()));
    }

    public NoteSigner signer() {
        return signer;
    }

    /** The most recently signed head (signing one now if none was yet). */
    public TreeHead latest() {
        TreeHead head = latest;
        return head != null ? head : signNow();
    }

    /** Signs the log as it is now. */
    public synchronized TreeHead signNow() {
        long size = store.treeSize();
        byte[] root = tree.root(size);
        Instant now = clock.instant();
        String checkpoint = signer.sign(props.origin() + "\n" + size + "\n"
                + Base64.getEncoder().encodeToString(root) + "\n");
        TreeHead previous = latest;
        if (previous == null || previous.treeSize() != size) {
            store.saveSignedHead(size, root, Timestamp.from(now), checkpoint);
        }
        TreeHead head = new TreeHead(size, MerkleHashes.hex(root), now, checkpoint);
        latest = head;
        witnessing.offer(head);
        return head;
    }

    @Override
    public synchronized void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "tree-head-signer");
            thread.setDaemon(true);
            return thread;
        });
        long interval = props.signInterval().toMillis();
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                signNow();
            }
            catch (RuntimeException ex) {
                log.warn("signing the audit tree head failed: {}", ex.getMessage());
            }
        }, 0, interval, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    @Override
    public boolean isRunning() {
        return scheduler != null;
    }
}
