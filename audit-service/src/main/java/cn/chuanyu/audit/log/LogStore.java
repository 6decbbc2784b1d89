package cn.chuanyu.audit.log;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The log's tables: {@code audit_entry} (the entries), {@code audit_leaf} (leaf index of each entry's seq) and
 * {@code merkle_node} (every complete subtree, level 0 being the leaf hashes). Bulk writes go through
 * {@code unnest} of arrays: one statement per table however many leaves a batch appends.
 */
@Repository
public class LogStore implements NodeSource {

    private static final HexFormat HEX = HexFormat.of();

    private final JdbcClient jdbc;
    private final JdbcTemplate template;
    /** The largest tree size this instance has read: the log never shrinks, so any size up to it exists. */
    private final AtomicLong knownSize = new AtomicLong();

    LogStore(JdbcClient jdbc, JdbcTemplate template) {
        this.jdbc = jdbc;
        this.template = template;
    }

    /** Number of leaves in the log. */
    public long treeSize() {
        long size = jdbc.sql("select coalesce(max(leaf_index) + 1, 0) from audit_leaf").query(Long.class).single();
        knownSize.accumulateAndGet(size, Math::max);
        return size;
    }

    /**
     * Whether the log has at least {@code size} leaves. Proofs against a given size ask this on every request; a
     * size at or below one already seen needs no query (the log is append-only).
     */
    public boolean holds(long size) {
        return size <= knownSize.get() || size <= treeSize();
    }

    /** Where a stored entry sits in the tree, and the agencies it concerns (for scoping proofs). */
    public record Leaf(long seq, long leafIndex, byte[] leafHash, String fromAgency, String toAgency) {
    }

    public Optional<Leaf> leafOfSeq(long seq) {
        return jdbc.sql("""
                select l.seq, l.leaf_index, n.hash, e.from_agency, e.to_agency
                from audit_leaf l
                join audit_entry e on e.seq = l.seq
                join merkle_node n on n.level = 0 and n.idx = l.leaf_index
                where l.seq = :seq""")
                .param("seq", seq)
                .query((rs, n) -> new Leaf(rs.getLong(1), rs.getLong(2), rs.getBytes(3), rs.getString(4),
                        rs.getString(5)))
                .optional();
    }

    @Override
    public Map<NodeKey, byte[]> read(Set<NodeKey> keys) {
        Map<NodeKey, byte[]> out = new HashMap<>();
        if (keys.isEmpty()) {
            return out;
        }
        Integer[] levels = new Integer[keys.size()];
        Long[] indexes = new Long[keys.size()];
        int i = 0;
        for (NodeKey key : keys) {
            levels[i] = key.level();
            indexes[i] = key.index();
            i++;
        }
        template.query(con -> {
            PreparedStatement ps = con.prepareStatement("""
                    select n.level, n.idx, n.hash
                    from merkle_node n
                    join unnest(?::int[], ?::bigint[]) as k(level, idx) on n.level = k.level and n.idx = k.idx""");
            ps.setArray(1, con.createArrayOf("int4", levels));
            ps.setArray(2, con.createArrayOf("int8", indexes));
            return ps;
        }, (RowCallbackHandler) rs -> out.put(new NodeKey(rs.getInt(1), rs.getLong(2)), rs.getBytes(3)));
        return out;
    }

    /** Where the writer stands: the log's size, the seq of its last leaf, and the highest seq of any entry. */
    record State(long treeSize, long lastLeafSeq, long maxSeq) {
    }

    State state() {
        return jdbc.sql("""
                select (select coalesce(max(leaf_index) + 1, 0) from audit_leaf),
                       coalesce((select seq from audit_leaf order by leaf_index desc limit 1), 0),
                       (select coalesce(max(seq), 0) from audit_entry)""")
                .query((rs, n) -> new State(rs.getLong(1), rs.getLong(2), rs.getLong(3)))
                .single();
    }

    void lockWriter() {
        // One writer at a time across every instance: leaf indexes and seqs are handed out under this lock.
        // Plans made for this transaction's own parameters: a generic plan cached while the log was young (a
        // sequential scan of a small table) would otherwise be kept as the table grows, until the next analyze.
        jdbc.sql("select pg_advisory_xact_lock(:key), set_config('plan_cache_mode', 'force_custom_plan', true)")
                .param("key", WRITER_LOCK)
                .query((rs, n) -> Boolean.TRUE)
                .single();
    }

    static final long WRITER_LOCK = 0x6175_6469_745F_6C6FL;

    List<String> existingEventIds(Collection<String> eventIds) {
        if (eventIds.isEmpty()) {
            return List.of();
        }
        String[] ids = eventIds.toArray(String[]::new);
        return template.query(con -> {
            PreparedStatement ps = con.prepareStatement("select event_id from audit_entry where event_id = any(?)");
            ps.setArray(1, con.createArrayOf("text", ids));
            return ps;
        }, (rs, n) -> rs.getString(1));
    }

    /** Entries stored without a leaf (from before the log existed), in seq order. */
    List<EntryRecord> entriesAfter(long seq, int limit) {
        return jdbc.sql("""
                select seq, event_id, type, source, exchange_id, from_agency, to_agency, correlation_id,
                  occurred_at, recorded_at, producer, producer_seq, envelope
                from audit_entry where seq > :seq order by seq limit :limit""")
                .param("seq", seq)
                .param("limit", limit)
                .query((rs, n) -> record(rs))
                .list();
    }

    static EntryRecord record(ResultSet rs) throws SQLException {
        long producerSeqValue = rs.getLong("producer_seq");
        Long producerSeq = rs.wasNull() ? null : producerSeqValue;
        return new EntryRecord(rs.getLong("seq"), rs.getString("event_id"), rs.getString("type"),
                rs.getString("source"), rs.getString("exchange_id"), rs.getString("from_agency"),
                rs.getString("to_agency"), rs.getString("correlation_id"),
                rs.getTimestamp("occurred_at").toInstant(), rs.getTimestamp("recorded_at").toInstant(),
                rs.getString("producer"), producerSeq, rs.getString("envelope"));
    }

    void insertEntries(List<EntryRecord> entries) {
        int n = entries.size();
        Long[] seq = new Long[n];
        String[] eventId = new String[n];
        String[] type = new String[n];
        String[] source = new String[n];
        String[] exchangeId = new String[n];
        String[] from = new String[n];
        String[] to = new String[n];
        String[] correlation = new String[n];
        String[] occurred = new String[n];
        String[] recorded = new String[n];
        String[] producer = new String[n];
        Long[] producerSeq = new Long[n];
        String[] envelope = new String[n];
        for (int i = 0; i < n; i++) {
            EntryRecord e = entries.get(i);
            seq[i] = e.seq();
            eventId[i] = e.eventId();
            type[i] = e.type();
            source[i] = e.source();
            exchangeId[i] = e.exchangeId();
            from[i] = e.fromAgency();
            to[i] = e.toAgency();
            correlation[i] = e.correlationId();
            // ISO-8601 with an explicit Z: PostgreSQL reads it as UTC whatever the session time zone.
            occurred[i] = CanonicalEntry.time(e.occurredAt());
            recorded[i] = CanonicalEntry.time(e.recordedAt());
            producer[i] = e.producer();
            producerSeq[i] = e.producerSeq();
            envelope[i] = e.envelope();
        }
        template.update(con -> {
            PreparedStatement ps = con.prepareStatement("""
                    insert into audit_entry (seq, event_id, type, source, exchange_id, from_agency, to_agency,
                      correlation_id, occurred_at, recorded_at, producer, producer_seq, envelope)
                    select s, ev, ty, so, ex, fa, ta, co, oc::timestamptz, re::timestamptz, pr, ps, en
                    from unnest(?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
                      ?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[], ?::text[])
                      as t(s, ev, ty, so, ex, fa, ta, co, oc, re, pr, ps, en)""");
            int p = 1;
            ps.setArray(p++, con.createArrayOf("int8", seq));
            for (String[] column : List.of(eventId, type, source, exchangeId, from, to, correlation, occurred,
                    recorded, producer)) {
                ps.setArray(p++, con.createArrayOf("text", column));
            }
            ps.setArray(p++, con.createArrayOf("int8", producerSeq));
            ps.setArray(p, con.createArrayOf("text", envelope));
            return ps;
        });
    }

    void insertLeaves(long firstLeafIndex, List<Long> seqs) {
        Long[] indexes = new Long[seqs.size()];
        for (int i = 0; i < indexes.length; i++) {
            indexes[i] = firstLeafIndex + i;
        }
        Long[] seqArray = seqs.toArray(Long[]::new);
        template.update(con -> {
            PreparedStatement ps = con.prepareStatement("""
                    insert into audit_leaf (leaf_index, seq) select * from unnest(?::bigint[], ?::bigint[])""");
            ps.setArray(1, con.createArrayOf("int8", indexes));
            ps.setArray(2, con.createArrayOf("int8", seqArray));
            return ps;
        });
    }

    void insertNodes(List<Frontier.Node> nodes) {
        Integer[] levels = new Integer[nodes.size()];
        Long[] indexes = new Long[nodes.size()];
        String[] hashes = new String[nodes.size()];
        for (int i = 0; i < nodes.size(); i++) {
            Frontier.Node node = nodes.get(i);
            levels[i] = node.key().level();
            indexes[i] = node.key().index();
            hashes[i] = HEX.formatHex(node.hash());
        }
        template.update(con -> {
            PreparedStatement ps = con.prepareStatement("""
                    insert into merkle_node (level, idx, hash)
                    select l, i, decode(h, 'hex') from unnest(?::int[], ?::bigint[], ?::text[]) as t(l, i, h)""");
            ps.setArray(1, con.createArrayOf("int4", levels));
            ps.setArray(2, con.createArrayOf("int8", indexes));
            ps.setArray(3, con.createArrayOf("text", hashes));
            return ps;
        });
    }

    /** One row of the log walk {@code verify} does: the stored entry (null if gone) and its stored leaf hash. */
    record Stored(long leafIndex, EntryRecord entry, byte[] leafHash) {
    }

    /** The leaves [from, to) in order, each with its entry and stored leaf hash; gaps show as nulls. */
    List<Stored> leaves(long from, long to) {
        return jdbc.sql("""
                select g.i as leaf_index, n.hash as leaf_hash, e.*
                from generate_series(cast(:from as bigint), cast(:to as bigint) - 1) as g(i)
                left join audit_leaf l on l.leaf_index = g.i
                left join audit_entry e on e.seq = l.seq
                left join merkle_node n on n.level = 0 and n.idx = g.i
                order by g.i""")
                .param("from", from)
                .param("to", to)
                .query((rs, n) -> {
                    rs.getLong("seq");
                    EntryRecord entry = rs.wasNull() ? null : record(rs);
                    return new Stored(rs.getLong("leaf_index"), entry, rs.getBytes("leaf_hash"));
                })
                .list();
    }

    /** Every stored node that completes when one of the leaves [from, to) is appended. */
    Map<NodeKey, byte[]> nodesCompletedBy(long from, long to) {
        List<Integer> levels = new ArrayList<>();
        List<Long> lows = new ArrayList<>();
        List<Long> highs = new ArrayList<>();
        for (int level = 0; level < 63 && (1L << level) <= to; level++) {
            // Node (level, i) completes with leaf (i + 1) * 2^level - 1.
            long width = 1L << level;
            long low = (from + 1 + width - 1) / width - 1;
            long high = to / width - 1;
            if (low <= high) {
                levels.add(level);
                lows.add(low);
                highs.add(high);
            }
        }
        Map<NodeKey, byte[]> out = new HashMap<>();
        if (levels.isEmpty()) {
            return out;
        }
        template.query(con -> {
            PreparedStatement ps = con.prepareStatement("""
                    select n.level, n.idx, n.hash from merkle_node n
                    join unnest(?::int[], ?::bigint[], ?::bigint[]) as r(l, lo, hi)
                      on n.level = r.l and n.idx between r.lo and r.hi""");
            ps.setArray(1, con.createArrayOf("int4", levels.toArray()));
            ps.setArray(2, con.createArrayOf("int8", lows.toArray()));
            ps.setArray(3, con.createArrayOf("int8", highs.toArray()));
            return ps;
        }, (RowCallbackHandler) rs -> out.put(new NodeKey(rs.getInt(1), rs.getLong(2)), rs.getBytes(3)));
        return out;
    }

    long entriesWithoutLeaf() {
        return jdbc.sql("""
                select count(*) from audit_entry e where not exists (select 1 from audit_leaf l where l.seq = e.seq)""")
                .query(Long.class)
                .single();
    }

    /** Signed tree heads as stored, oldest first. */
    public record SignedHead(long treeSize, byte[] rootHash, Timestamp signedAt, String checkpoint) {
    }

    public List<SignedHead> signedHeads() {
        return jdbc.sql("select tree_size, root_hash, signed_at, checkpoint from tree_head order by tree_size")
                .query((rs, n) -> new SignedHead(rs.getLong(1), rs.getBytes(2), rs.getTimestamp(3), rs.getString(4)))
                .list();
    }

    public Optional<SignedHead> latestSignedHead() {
        return jdbc.sql("""
                select tree_size, root_hash, signed_at, checkpoint from tree_head
                order by tree_size desc limit 1""")
                .query((rs, n) -> new SignedHead(rs.getLong(1), rs.getBytes(2), rs.getTimestamp(3), rs.getString(4)))
                .optional();
    }

    public void saveSignedHead(long treeSize, byte[] rootHash, Timestamp signedAt, String checkpoint) {
        jdbc.sql("""
                insert into tree_head (tree_size, root_hash, signed_at, checkpoint)
                values (:size, :root, :at, :checkpoint) on conflict (tree_size) do nothing""")
                .param("size", treeSize)
                .param("root", rootHash)
                .param("at", signedAt)
                .param("checkpoint", checkpoint)
                .update();
    }
}
