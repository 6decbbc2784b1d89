package cn.chuanyu.audit.log;

import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Recomputes the log from the stored entries: each entry's canonical bytes and leaf hash, every tree node from
 * those leaves, and the root at each signed tree head's size. Reads in chunks, so memory stays flat however long
 * the log is.
 */
@Service
public class LogVerifier {

    private static final Logger log = LoggerFactory.getLogger(LogVerifier.class);
    private static final int CHUNK = 4096;

    private final LogStore store;
    private final Clock clock;

    LogVerifier(LogStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public VerifyReport verify() {
        long started = System.nanoTime();
        Instant checkedAt = clock.instant();
        List<LogStore.SignedHead> heads = store.signedHeads();
        long size = store.treeSize();
        Frontier recomputed = Frontier.empty();
        Long firstSeq = null;
        Long firstLeaf = null;
        String firstReason = null;
        long badEntries = 0;
        String firstNode = null;
        long badNodes = 0;
        int headIndex = 0;
        int headsChecked = 0;
        Long firstBadHead = null;
        Boolean latestMatches = null;
        LogStore.SignedHead latest = heads.isEmpty() ? null : heads.get(heads.size() - 1);

        while (headIndex < heads.size() && heads.get(headIndex).treeSize() == 0) {
            headsChecked++;
            if (!Arrays.equals(heads.get(headIndex).rootHash(), MerkleHashes.emptyRoot())) {
                firstBadHead = firstBadHead == null ? 0L : firstBadHead;
            }
            headIndex++;
        }
        for (long from = 0; from < size; from += CHUNK) {
            long to = Math.min(size, from + CHUNK);
            List<LogStore.Stored> rows = store.leaves(from, to);
            Map<NodeKey, byte[]> storedNodes = store.nodesCompletedBy(from, to);
            for (LogStore.Stored row : rows) {
                String problem = null;
                byte[] leaf;
                if (row.entry() == null) {
                    problem = "entry missing";
                    leaf = row.leafHash() == null ? new byte[MerkleHashes.HASH_LENGTH] : row.leafHash();
                }
                else {
                    try {
                        CanonicalEntry.Check check = CanonicalEntry.check(row.entry());
                        leaf = check.leafHash();
                        if (!Arrays.equals(leaf, row.leafHash())) {
                            problem = "content no longer matches its leaf hash";
                        }
                        else {
                            List<String> fields = check.disagreements();
                            if (!fields.isEmpty()) {
                                problem = "stored envelope disagrees with the entry on " + String.join(", ", fields);
                            }
                        }
                    }
                    catch (RuntimeException ex) {
                        problem = "entry unreadable: " + ex.getMessage();
                        leaf = new byte[MerkleHashes.HASH_LENGTH];
                    }
                }
                if (problem != null) {
                    badEntries++;
                    if (firstReason == null) {
                        firstReason = problem;
                        firstLeaf = row.leafIndex();
                        firstSeq = row.entry() == null ? null : row.entry().seq();
                    }
                }
                for (Frontier.Node node : recomputed.append(leaf)) {
                    if (node.key().level() == 0) {
                        continue;
                    }
                    if (!Arrays.equals(node.hash(), storedNodes.get(node.key()))) {
                        badNodes++;
                        if (firstNode == null) {
                            firstNode = node.key().level() + "/" + node.key().index();
                        }
                    }
                }
                while (headIndex < heads.size() && heads.get(headIndex).treeSize() == recomputed.size()) {
                    LogStore.SignedHead head = heads.get(headIndex++);
                    headsChecked++;
                    boolean matches = Arrays.equals(head.rootHash(), recomputed.root());
                    if (!matches && firstBadHead == null) {
                        firstBadHead = head.treeSize();
                    }
                    if (head == latest) {
                        latestMatches = matches;
                    }
                }
            }
        }
        if (headIndex < heads.size() && firstBadHead == null) {
            // A head signed for more leaves than the log now holds: leaves were removed.
            firstBadHead = heads.get(headIndex).treeSize();
        }
        if (latest != null && latest.treeSize() == 0) {
            latestMatches = Arrays.equals(latest.rootHash(), MerkleHashes.emptyRoot());
        }
        else if (latest != null && latestMatches == null) {
            latestMatches = false;
        }

        byte[] recomputedRoot = recomputed.root();
        String storedRoot;
        try {
            storedRoot = MerkleHashes.hex(new MerkleTree(store).root(size));
        }
        catch (RuntimeException ex) {
            storedRoot = null;
        }
        String recomputedHex = MerkleHashes.hex(recomputedRoot);
        boolean storedRootMatches = recomputedHex.equals(storedRoot);
        long withoutLeaf = store.entriesWithoutLeaf();
        boolean ok = badEntries == 0 && badNodes == 0 && storedRootMatches && firstBadHead == null
                && withoutLeaf == 0;
        long took = (System.nanoTime() - started) / 1_000_000;
        if (!ok) {
            log.warn("audit log verification FAILED: first mismatching entry seq {} ({}), {} entries and {} nodes "
                    + "mismatched, first bad signed head {}", firstSeq, firstReason, badEntries, badNodes,
                    firstBadHead);
        }
        return new VerifyReport(ok, size, firstSeq, firstLeaf, firstReason, badEntries, firstNode, badNodes,
                recomputedHex, storedRoot, storedRootMatches, latest == null ? null : latest.treeSize(),
                latest == null ? null : MerkleHashes.hex(latest.rootHash()), latestMatches, firstBadHead,
                headsChecked, withoutLeaf, checkedAt, took);
    }
}
