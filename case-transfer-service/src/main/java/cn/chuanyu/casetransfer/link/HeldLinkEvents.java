package cn.chuanyu.casetransfer.link;

import java.sql.Array;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import cn.chuanyu.kit.node.NodeIdentity;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * What {@link LinkOrdering} holds in {@code link_pending}: events of the peer node that arrived ahead of their turn,
 * per exchange, with the seq each exchange waits for. An exchange whose missing event never arrives would wait
 * there forever; {@link LinkPendingWatch} alerts on it, operators list it ({@code GET /api/v1/ops/link-pending}).
 */
@Component
class HeldLinkEvents {

    /**
     * One exchange's held events.
     *
     * @param exchangeId    the transfer or assistance request
     * @param senderNode    the node that sent them (the peer)
     * @param waitingForSeq the link seq that has not arrived (the next one to apply)
     * @param heldSeqs      the seqs held, ascending
     * @param heldTypes     their event types, in the same order ({@code refused} for one passed over)
     * @param since         when the oldest of them arrived
     * @param ageSeconds    how long ago that was
     * @param alerted       whether the alert for this missing seq was raised
     */
    record Held(String exchangeId, String senderNode, long waitingForSeq, List<Long> heldSeqs,
            List<String> heldTypes, Instant since, long ageSeconds, boolean alerted) {
    }

    /** All held events of this node: how many, and when the oldest arrived (null when none). */
    record Summary(long held, Instant oldest) {
    }

    private final JdbcClient jdbc;
    private final String senderNode;
    private final Duration alertAfter;

    HeldLinkEvents(JdbcClient jdbc, NodeIdentity node,
            @Value("${chuanyu.link.pending-alert-after:PT10M}") Duration alertAfter) {
        this.jdbc = jdbc;
        this.senderNode = node.properties().peer() == null ? null : node.properties().peer().name();
        this.alertAfter = alertAfter;
    }

    /** How long an exchange's events may be held before the alert. */
    Duration alertAfter() {
        return alertAfter;
    }

    Summary summary() {
        return jdbc.sql("select count(*) as held, min(received_at) as oldest from link_pending")
                .query((rs, n) -> {
                    Timestamp oldest = rs.getTimestamp("oldest");
                    return new Summary(rs.getLong("held"), oldest == null ? null : oldest.toInstant());
                })
                .single();
    }

    /** The exchanges holding events, oldest first. */
    List<Held> list(int limit, Instant now) {
        return query(null, false, limit, now);
    }

    /** The exchanges holding an event since before {@code cutoff} whose missing seq was not alerted yet. */
    List<Held> unalertedSince(Instant cutoff, int limit, Instant now) {
        return query(cutoff, true, limit, now);
    }

    /** Marks the alert raised; false when another scan (another instance) did, or the exchange moved on. */
    boolean claimAlert(String exchangeId, long waitingForSeq) {
        return jdbc.sql("""
                update link_in set pending_alerted_for = :seq
                where exchange_id = :id and applied_seq + 1 = :seq and pending_alerted_for is distinct from :seq""")
                .param("id", exchangeId)
                .param("seq", waitingForSeq)
                .update() == 1;
    }

    private List<Held> query(Instant cutoff, boolean unalertedOnly, int limit, Instant now) {
        return jdbc.sql("""
                select p.exchange_id, i.applied_seq + 1 as waiting_for,
                  coalesce(i.pending_alerted_for = i.applied_seq + 1, false) as alerted,
                  array_agg(p.seq order by p.seq) as seqs,
                  array_agg(coalesce(cast(p.envelope as jsonb) ->> 'type', 'refused') order by p.seq) as types,
                  min(p.received_at) as since
                from link_pending p join link_in i on i.exchange_id = p.exchange_id
                group by p.exchange_id, i.applied_seq, i.pending_alerted_for
                having (cast(:cutoff as timestamptz) is null or min(p.received_at) < :cutoff)
                  and (not :unalertedOnly or i.pending_alerted_for is distinct from i.applied_seq + 1)
                order by since, p.exchange_id limit :limit""")
                .param("cutoff", cutoff == null ? null : Timestamp.from(cutoff))
                .param("unalertedOnly", unalertedOnly)
                .param("limit", limit)
                .query((rs, n) -> {
                    Instant since = rs.getTimestamp("since").toInstant();
                    return new Held(rs.getString("exchange_id"), senderNode, rs.getLong("waiting_for"),
                            Arrays.stream((Long[]) array(rs.getArray("seqs"))).toList(),
                            Arrays.stream((String[]) array(rs.getArray("types"))).toList(), since,
                            Math.max(0, Duration.between(since, now).toSeconds()), rs.getBoolean("alerted"));
                })
                .list();
    }

    private static Object array(Array array) throws SQLException {
        try {
            return array.getArray();
        }
        finally {
            array.free();
        }
    }
}
