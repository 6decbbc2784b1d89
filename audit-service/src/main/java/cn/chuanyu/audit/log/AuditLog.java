package cn.chuanyu.audit.log;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import cn.chuanyu.contracts.EventEnvelope;
import cn.chuanyu.kit.json.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The only writer of the log. An append takes a transaction-scoped advisory lock, so however many instances run
 * (and whatever the broker does) leaves are added one writer at a time: each new entry gets seq = highest seq + 1
 * and leaf index = tree size, its row, its leaf and every tree node it completes commit together, and nothing
 * can interleave or leave a gap in the leaf indexes.
 */
@Service
public class AuditLog {

    private static final Logger log = LoggerFactory.getLogger(AuditLog.class);
    private static final int CATCH_UP_CHUNK = 2000;

    private final LogStore store;
    private final TransactionTemplate tx;
    private final Clock clock;

    AuditLog(LogStore store, PlatformTransactionManager txManager, Clock clock) {
        this.store = store;
        this.tx = new TransactionTemplate(txManager);
        this.clock = clock;
    }

    /**
     * Appends the events in order, in one transaction, skipping any whose event id is already in the log (which is
     * what makes redelivery harmless).
     *
     * @return the seqs given to the appended entries
     */
    public List<Long> append(List<IncomingEvent> events) {
        List<Long> seqs = tx.execute(status -> {
            store.lockWriter();
            LogStore.State state = catchUpLocked();
            Map<String, IncomingEvent> fresh = new LinkedHashMap<>();
            for (IncomingEvent incoming : events) {
                fresh.putIfAbsent(incoming.event().id(), incoming);
            }
            store.existingEventIds(fresh.keySet()).forEach(fresh::remove);
            if (fresh.isEmpty()) {
                return List.<Long>of();
            }
            Instant recordedAt = clock.instant().truncatedTo(ChronoUnit.MICROS);
            List<EntryRecord> records = new ArrayList<>(fresh.size());
            long seq = state.maxSeq();
            for (IncomingEvent incoming : fresh.values()) {
                records.add(record(++seq, incoming, recordedAt));
            }
            store.insertEntries(records);
            appendLeaves(state.treeSize(), records);
            return records.stream().map(EntryRecord::seq).toList();
        });
        return seqs == null ? List.of() : seqs;
    }

    /**
     * Gives every stored entry that has no leaf yet (entries recorded before the log existed) its leaf, in seq
     * order. Runs at start-up and, under the writer lock, before every append.
     */
    @EventListener(ApplicationReadyEvent.class)
    public void catchUp() {
        tx.executeWithoutResult(status -> {
            store.lockWriter();
            catchUpLocked();
        });
    }

    private LogStore.State catchUpLocked() {
        LogStore.State state = store.state();
        long appended = 0;
        while (state.maxSeq() > state.lastLeafSeq()) {
            List<EntryRecord> backlog = store.entriesAfter(state.lastLeafSeq(), CATCH_UP_CHUNK);
            if (backlog.isEmpty()) {
                break;
            }
            appendLeaves(state.treeSize(), backlog);
            appended += backlog.size();
            state = new LogStore.State(state.treeSize() + backlog.size(),
                    backlog.get(backlog.size() - 1).seq(), state.maxSeq());
        }
        if (appended > 0) {
            log.info("gave {} earlier audit entries their Merkle leaves; the log now holds {}", appended,
                    state.treeSize());
        }
        return state;
    }

    private void appendLeaves(long treeSize, List<EntryRecord> records) {
        Set<NodeKey> edge = Frontier.keysFor(treeSize);
        Frontier frontier = Frontier.of(treeSize, store.read(edge));
        List<Frontier.Node> nodes = new ArrayList<>(records.size() * 2 + 64);
        List<Long> seqs = new ArrayList<>(records.size());
        for (EntryRecord record : records) {
            nodes.addAll(frontier.append(CanonicalEntry.leafHash(record)));
            seqs.add(record.seq());
        }
        store.insertLeaves(treeSize, seqs);
        store.insertNodes(nodes);
    }

    private static EntryRecord record(long seq, IncomingEvent incoming, Instant recordedAt) {
        EventEnvelope e = incoming.event();
        // The stored time is what PostgreSQL keeps (microseconds), and the leaf is built from what is stored.
        return new EntryRecord(seq, e.id(), e.type(), e.source(), e.subject(), e.fromAgency(), e.toAgency(),
                e.correlationId(), e.time().truncatedTo(ChronoUnit.MICROS), recordedAt, incoming.producer(),
                incoming.producerSeq(), Json.write(e));
    }
}
