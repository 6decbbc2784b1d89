package cn.chuanyu.casetransfer.transfer;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import cn.chuanyu.casetransfer.exchange.Direction;
import cn.chuanyu.kit.web.PageCursor;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class TransferRepository {

    private static final String COLUMNS = """
            id, case_number, title, case_type, from_agency, to_agency, reason, summary, state, decision_due_at,
            decided_at, decision_note, overdue_raised, created_at, updated_at, version""";

    private final JdbcClient jdbc;

    TransferRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(CaseTransfer t) {
        jdbc.sql("insert into case_transfer (" + COLUMNS + """
                ) values (:id, :caseNumber, :title, :caseType, :fromAgency, :toAgency, :reason, :summary, :state,
                  :decisionDueAt, :decidedAt, :decisionNote, :overdueRaised, :createdAt, :updatedAt, :version)""")
                .params(params(t))
                .update();
    }

    /** The replica of a transfer that the node of {@code originRegion} decides. */
    void insertReplica(CaseTransfer t, String originRegion) {
        insert(t);
        jdbc.sql("update case_transfer set origin_region = :origin where id = :id")
                .param("origin", originRegion)
                .param("id", t.id())
                .update();
    }

    /** The region whose node decides the transfer when this node holds a replica; empty when this node decides. */
    Optional<String> originRegion(UUID id) {
        return jdbc.sql("select origin_region from case_transfer where id = :id and origin_region is not null")
                .param("id", id)
                .query(String.class)
                .optional();
    }

    /** Writes a transition; the row was locked by {@link #findForUpdate}, so the version check cannot lose. */
    void update(CaseTransfer t) {
        int updated = jdbc.sql("""
                update case_transfer set state = :state, decided_at = :decidedAt, decision_note = :decisionNote,
                  overdue_raised = :overdueRaised, updated_at = :updatedAt, version = :version
                where id = :id and version = :version - 1""")
                .params(params(t))
                .update();
        if (updated != 1) {
            throw new IllegalStateException("case transfer " + t.id() + " changed under a row lock");
        }
    }

    Optional<CaseTransfer> find(UUID id) {
        return jdbc.sql("select " + COLUMNS + " from case_transfer where id = :id")
                .param("id", id)
                .query(TransferRepository::map)
                .optional();
    }

    Optional<CaseTransfer> findForUpdate(UUID id) {
        return jdbc.sql("select " + COLUMNS + " from case_transfer where id = :id for update")
                .param("id", id)
                .query(TransferRepository::map)
                .optional();
    }

    List<CaseTransfer> list(String agencyId, Direction direction, TransferState state, CaseType caseType,
            PageCursor after, int limit) {
        String parties = direction == null ? "(from_agency = :agency or to_agency = :agency)"
                : direction == Direction.INCOMING ? "to_agency = :agency" : "from_agency = :agency";
        return jdbc.sql("select " + COLUMNS + " from case_transfer where " + parties + """
                  and (cast(:state as text) is null or state = :state)
                  and (cast(:caseType as text) is null or case_type = :caseType)
                  and (cast(:afterTime as timestamptz) is null or (created_at, id) < (:afterTime, :afterId))
                order by created_at desc, id desc limit :limit""")
                .param("agency", agencyId)
                .param("state", state == null ? null : state.name())
                .param("caseType", caseType == null ? null : caseType.name())
                .param("afterTime", after == null ? null : Timestamp.from(after.instant(0)))
                .param("afterId", after == null ? null : after.uuid(1))
                .param("limit", limit)
                .query(TransferRepository::map)
                .list();
    }

    /**
     * Undecided transfers past their due time whose overdue event was not raised yet, locked for this scan. Not
     * replicas: their origin raises it, and it comes over the link.
     */
    List<CaseTransfer> overdueToRaise(Instant now, int limit) {
        return jdbc.sql("select " + COLUMNS + """
                 from case_transfer where state = 'SUBMITTED' and not overdue_raised and decision_due_at < :now
                  and origin_region is null
                order by decision_due_at limit :limit for update skip locked""")
                .param("now", Timestamp.from(now))
                .param("limit", limit)
                .query(TransferRepository::map)
                .list();
    }

    private static java.util.Map<String, Object> params(CaseTransfer t) {
        java.util.Map<String, Object> p = new java.util.HashMap<>();
        p.put("id", t.id());
        p.put("caseNumber", t.caseNumber());
        p.put("title", t.title());
        p.put("caseType", t.caseType().name());
        p.put("fromAgency", t.fromAgency());
        p.put("toAgency", t.toAgency());
        p.put("reason", t.reason());
        p.put("summary", t.summary());
        p.put("state", t.state().name());
        p.put("decisionDueAt", Timestamp.from(t.decisionDueAt()));
        p.put("decidedAt", t.decidedAt() == null ? null : Timestamp.from(t.decidedAt()));
        p.put("decisionNote", t.decisionNote());
        p.put("overdueRaised", t.overdueRaised());
        p.put("createdAt", Timestamp.from(t.createdAt()));
        p.put("updatedAt", Timestamp.from(t.updatedAt()));
        p.put("version", t.version());
        return p;
    }

    private static CaseTransfer map(ResultSet rs, int row) throws SQLException {
        Timestamp decided = rs.getTimestamp("decided_at");
        return new CaseTransfer(rs.getObject("id", UUID.class), rs.getString("case_number"), rs.getString("title"),
                CaseType.valueOf(rs.getString("case_type")), rs.getString("from_agency"), rs.getString("to_agency"),
                rs.getString("reason"), rs.getString("summary"), TransferState.valueOf(rs.getString("state")),
                rs.getTimestamp("decision_due_at").toInstant(), decided == null ? null : decided.toInstant(),
                rs.getString("decision_note"), rs.getBoolean("overdue_raised"),
                rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant(),
                rs.getInt("version"));
    }
}
