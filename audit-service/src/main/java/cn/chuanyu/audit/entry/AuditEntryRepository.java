package cn.chuanyu.audit.entry;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;

import cn.chuanyu.contracts.EventEnvelope;
import cn.chuanyu.kit.outbox.EventJson;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class AuditEntryRepository {

    private final JdbcClient jdbc;

    AuditEntryRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Appends the event; a second copy of the same event id is ignored. */
    void append(EventEnvelope event) {
        jdbc.sql("""
                insert into audit_entry (event_id, type, source, exchange_id, from_agency, to_agency,
                  correlation_id, occurred_at, envelope)
                values (:eventId, :type, :source, :exchangeId, :fromAgency, :toAgency, :correlationId,
                  :occurredAt, :envelope)
                on conflict (event_id) do nothing""")
                .param("eventId", event.id())
                .param("type", event.type())
                .param("source", event.source())
                .param("exchangeId", event.subject())
                .param("fromAgency", event.fromAgency())
                .param("toAgency", event.toAgency())
                .param("correlationId", event.correlationId())
                .param("occurredAt", Timestamp.from(event.time()))
                .param("envelope", EventJson.write(event))
                .update();
    }

    List<AuditEntry> page(String exchangeId, long afterSeq, int limit) {
        return jdbc.sql("""
                select seq, event_id, type, source, exchange_id, from_agency, to_agency, correlation_id,
                  occurred_at, recorded_at, envelope
                from audit_entry
                where seq > :after and (cast(:exchangeId as text) is null or exchange_id = :exchangeId)
                order by seq limit :limit""")
                .param("after", afterSeq)
                .param("exchangeId", exchangeId)
                .param("limit", limit)
                .query(AuditEntryRepository::map)
                .list();
    }

    private static AuditEntry map(ResultSet rs, int row) throws SQLException {
        EventEnvelope envelope = EventJson.read(rs.getString("envelope").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return new AuditEntry(rs.getLong("seq"), rs.getString("event_id"), rs.getString("type"),
                rs.getString("source"), rs.getString("exchange_id"), rs.getString("from_agency"),
                rs.getString("to_agency"), rs.getString("correlation_id"),
                rs.getTimestamp("occurred_at").toInstant(), rs.getTimestamp("recorded_at").toInstant(),
                envelope.data());
    }
}
