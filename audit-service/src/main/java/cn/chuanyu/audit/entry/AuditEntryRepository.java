package cn.chuanyu.audit.entry;

import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import cn.chuanyu.audit.log.CanonicalEntry;
import cn.chuanyu.audit.log.EntryRecord;
import cn.chuanyu.audit.log.MerkleHashes;
import cn.chuanyu.kit.json.Json;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Reads entries for search and export; writing is the log's job ({@code AuditLog}). */
@Repository
class AuditEntryRepository {

    private static final String SELECT = """
            select e.seq, e.event_id, e.type, e.source, e.exchange_id, e.from_agency, e.to_agency, e.correlation_id,
              e.occurred_at, e.recorded_at, e.producer, e.producer_seq, e.envelope, l.leaf_index, n.hash as leaf_hash
            from audit_entry e
            left join audit_leaf l on l.seq = e.seq
            left join merkle_node n on n.level = 0 and n.idx = l.leaf_index
            """;

    private final JdbcClient jdbc;

    AuditEntryRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Entries after {@code afterSeq} that match, in seq order. */
    List<AuditEntry> search(EntryFilter f, long afterSeq, int limit) {
        StringBuilder sql = new StringBuilder(SELECT).append("where e.seq > :after");
        Map<String, Object> params = new HashMap<>();
        params.put("after", afterSeq);
        params.put("limit", limit);
        if (f.exchangeId() != null) {
            sql.append(" and e.exchange_id = :exchangeId");
            params.put("exchangeId", f.exchangeId());
        }
        if (f.caseNumber() != null) {
            // Same expression as the audit_entry_case_number index.
            sql.append(" and ((e.envelope::jsonb) -> 'data' ->> 'caseNumber') = :caseNumber");
            params.put("caseNumber", f.caseNumber());
        }
        if (f.agency() != null) {
            sql.append(" and (e.from_agency = :agency or e.to_agency = :agency)");
            params.put("agency", f.agency());
        }
        if (f.visibleTo() != null) {
            sql.append(" and ").append(AgencyVisibility.CONDITION);
            params.put("visibleTo", f.visibleTo());
        }
        if (f.type() != null) {
            sql.append(" and e.type = :type");
            params.put("type", f.type());
        }
        if (f.from() != null) {
            sql.append(" and e.occurred_at >= :from");
            params.put("from", Timestamp.from(f.from()));
        }
        if (f.to() != null) {
            sql.append(" and e.occurred_at < :to");
            params.put("to", Timestamp.from(f.to()));
        }
        if (f.correlationId() != null) {
            sql.append(" and e.correlation_id = :correlationId");
            params.put("correlationId", f.correlationId());
        }
        sql.append(" order by e.seq limit :limit");
        return jdbc.sql(sql.toString()).params(params).query(AuditEntryRepository::map).list();
    }

    /** An exchange's entries in seq (arrival) order, only those {@code visibleTo} may see if set. */
    List<AuditEntry> ofExchange(String exchangeId, String visibleTo, int limit) {
        String sql = SELECT + "where e.exchange_id = :exchangeId"
                + (visibleTo == null ? "" : " and " + AgencyVisibility.CONDITION)
                + " order by e.seq limit :limit";
        JdbcClient.StatementSpec statement = jdbc.sql(sql).param("exchangeId", exchangeId).param("limit", limit);
        if (visibleTo != null) {
            statement = statement.param("visibleTo", visibleTo);
        }
        return statement.query(AuditEntryRepository::map).list();
    }

    /** The entry {@code seq}, if {@code visibleTo} (null: anyone) may see it. */
    Optional<AuditEntry> bySeq(long seq, String visibleTo) {
        if (visibleTo == null) {
            return jdbc.sql(SELECT + "where e.seq = :seq").param("seq", seq).query(AuditEntryRepository::map)
                    .optional();
        }
        return jdbc.sql(SELECT + "where e.seq = :seq and " + AgencyVisibility.CONDITION).param("seq", seq)
                .param("visibleTo", visibleTo).query(AuditEntryRepository::map).optional();
    }

    private static AuditEntry map(ResultSet rs, int row) throws SQLException {
        long producerSeqValue = rs.getLong("producer_seq");
        Long producerSeq = rs.wasNull() ? null : producerSeqValue;
        long leafIndexValue = rs.getLong("leaf_index");
        Long leafIndex = rs.wasNull() ? null : leafIndexValue;
        byte[] leafHash = rs.getBytes("leaf_hash");
        String envelope = rs.getString("envelope");
        EntryRecord record = new EntryRecord(rs.getLong("seq"), rs.getString("event_id"), rs.getString("type"),
                rs.getString("source"), rs.getString("exchange_id"), rs.getString("from_agency"),
                rs.getString("to_agency"), rs.getString("correlation_id"),
                rs.getTimestamp("occurred_at").toInstant(), rs.getTimestamp("recorded_at").toInstant(),
                rs.getString("producer"), producerSeq, envelope);
        Map<String, Object> data;
        String canonical;
        try {
            data = Json.read(envelope.getBytes(StandardCharsets.UTF_8)).data();
        }
        catch (RuntimeException ex) {
            data = null;
        }
        try {
            canonical = Base64.getEncoder().encodeToString(CanonicalEntry.bytes(record));
        }
        catch (RuntimeException ex) {
            // An envelope edited into something unreadable: show the entry, there is nothing to hash.
            canonical = null;
        }
        return new AuditEntry(record.seq(), leafIndex, record.eventId(), record.type(), record.source(),
                record.exchangeId(), record.fromAgency(), record.toAgency(), record.correlationId(),
                record.occurredAt(), record.recordedAt(), record.producer(), record.producerSeq(), data,
                leafHash == null ? null : MerkleHashes.hex(leafHash), canonical);
    }
}
