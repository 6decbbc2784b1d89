package cn.chuanyu.audit.ops;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** The keeper's table of dead letters. */
@Repository
class DeadLetterStore {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JdbcClient jdbc;

    DeadLetterStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Filters of the list; null means any. */
    record Filter(String queue, String type, String exchangeId, Instant from, Instant to, String state,
            String correlationId) {
    }

    /** @return true if stored, false if this delivery was already kept */
    boolean insert(DeadLetter d, String deliveryKey) {
        return jdbc.sql("""
                insert into dead_letter (id, delivery_key, queue, event_id, type, exchange_id, correlation_id, reason,
                  attempts, dead_lettered_at, message_id, content_type, body, headers)
                values (:id, :key, :queue, :eventId, :type, :exchangeId, :correlationId, :reason, :attempts,
                  :deadLetteredAt, :messageId, :contentType, :body, cast(:headers as jsonb))
                on conflict (delivery_key) do nothing""")
                .param("id", d.id())
                .param("key", deliveryKey)
                .param("queue", d.queue())
                .param("eventId", d.eventId())
                .param("type", d.type())
                .param("exchangeId", d.exchangeId())
                .param("correlationId", d.correlationId())
                .param("reason", d.reason())
                .param("attempts", d.attempts())
                .param("deadLetteredAt", Timestamp.from(d.deadLetteredAt()))
                .param("messageId", d.messageId())
                .param("contentType", d.contentType())
                .param("body", d.body())
                .param("headers", JSON.writeValueAsString(d.headers()))
                .update() == 1;
    }

    List<DeadLetter> search(Filter f, Long beforeSeq, int limit) {
        StringBuilder sql = new StringBuilder("select * from dead_letter where true");
        Map<String, Object> params = new LinkedHashMap<>();
        where(sql, params, f);
        if (beforeSeq != null) {
            sql.append(" and seq < :before");
            params.put("before", beforeSeq);
        }
        sql.append(" order by seq desc limit :limit");
        params.put("limit", limit);
        return jdbc.sql(sql.toString()).params(params).query(DeadLetterStore::map).list();
    }

    private static void where(StringBuilder sql, Map<String, Object> params, Filter f) {
        if (f.queue() != null) {
            sql.append(" and queue = :queue");
            params.put("queue", f.queue());
        }
        if (f.type() != null) {
            sql.append(" and type = :type");
            params.put("type", f.type());
        }
        if (f.exchangeId() != null) {
            sql.append(" and exchange_id = :exchangeId");
            params.put("exchangeId", f.exchangeId());
        }
        if (f.from() != null) {
            sql.append(" and dead_lettered_at >= :from");
            params.put("from", Timestamp.from(f.from()));
        }
        if (f.to() != null) {
            sql.append(" and dead_lettered_at < :to");
            params.put("to", Timestamp.from(f.to()));
        }
        if (f.state() != null) {
            sql.append(" and state = :state");
            params.put("state", f.state());
        }
        if (f.correlationId() != null) {
            sql.append(" and correlation_id = :correlationId");
            params.put("correlationId", f.correlationId());
        }
    }

    Optional<DeadLetter> byId(UUID id) {
        return jdbc.sql("select * from dead_letter where id = :id").param("id", id).query(DeadLetterStore::map)
                .optional();
    }

    /** Locks the row for the caller's transaction. */
    Optional<DeadLetter> lock(UUID id) {
        return jdbc.sql("select * from dead_letter where id = :id for update").param("id", id)
                .query(DeadLetterStore::map).optional();
    }

    List<UUID> pendingIds(String queue, String type, int limit) {
        StringBuilder sql = new StringBuilder("select id from dead_letter where state = 'PENDING'");
        Map<String, Object> params = new LinkedHashMap<>();
        where(sql, params, new Filter(queue, type, null, null, null, null, null));
        sql.append(" order by seq limit :limit");
        params.put("limit", limit);
        return jdbc.sql(sql.toString()).params(params).query(UUID.class).list();
    }

    void markReplayed(UUID id, String operator) {
        jdbc.sql("update dead_letter set state = 'REPLAYED', acted_at = now(), acted_by = :by where id = :id")
                .param("id", id).param("by", operator).update();
    }

    void markDiscarded(UUID id, String operator, String reason) {
        jdbc.sql("""
                update dead_letter set state = 'DISCARDED', acted_at = now(), acted_by = :by, discard_reason = :reason
                where id = :id""")
                .param("id", id).param("by", operator).param("reason", reason).update();
    }

    /** Per queue: messages dead-lettered and replayed since {@code since}. */
    Map<String, long[]> countsSince(Instant since) {
        Map<String, long[]> counts = new LinkedHashMap<>();
        jdbc.sql("""
                select queue,
                  count(*) filter (where dead_lettered_at >= :since),
                  count(*) filter (where state = 'REPLAYED' and acted_at >= :since)
                from dead_letter where dead_lettered_at >= :since or acted_at >= :since group by queue""")
                .param("since", Timestamp.from(since))
                .query((rs, n) -> counts.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3)}))
                .list();
        return counts;
    }

    private static DeadLetter map(ResultSet rs, int n) throws SQLException {
        Map<String, Object> headers = JSON.readValue(rs.getString("headers"),
                new TypeReference<LinkedHashMap<String, Object>>() { });
        return new DeadLetter(rs.getObject("id", UUID.class), rs.getLong("seq"), rs.getString("queue"),
                rs.getString("event_id"), rs.getString("type"), rs.getString("exchange_id"),
                rs.getString("correlation_id"), rs.getString("reason"), rs.getInt("attempts"),
                rs.getTimestamp("dead_lettered_at").toInstant(), rs.getString("message_id"),
                rs.getString("content_type"), rs.getBytes("body"), headers, rs.getString("state"),
                rs.getTimestamp("acted_at") == null ? null : rs.getTimestamp("acted_at").toInstant(),
                rs.getString("acted_by"), rs.getString("discard_reason"));
    }
}
