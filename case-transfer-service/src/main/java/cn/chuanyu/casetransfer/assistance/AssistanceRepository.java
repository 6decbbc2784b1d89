package cn.chuanyu.casetransfer.assistance;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import cn.chuanyu.casetransfer.exchange.Direction;
import cn.chuanyu.kit.web.PageCursor;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class AssistanceRepository {

    private static final String COLUMNS = """
            id, type, from_agency, to_agency, subject, details, case_transfer_id, due_at, state, result,
            evidence_package_id, decline_reason, acknowledged_at, closed_at, overdue_raised, created_at, updated_at,
            version""";

    private final JdbcClient jdbc;

    AssistanceRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(AssistanceRequest r) {
        jdbc.sql("insert into assistance_request (" + COLUMNS + """
                ) values (:id, :type, :fromAgency, :toAgency, :subject, :details, :caseTransferId, :dueAt, :state,
                  :result, :evidencePackageId, :declineReason, :acknowledgedAt, :closedAt, :overdueRaised,
                  :createdAt, :updatedAt, :version)""")
                .params(params(r))
                .update();
    }

    /** The replica of a request that the node of {@code originRegion} decides. */
    void insertReplica(AssistanceRequest r, String originRegion) {
        insert(r);
        jdbc.sql("update assistance_request set origin_region = :origin where id = :id")
                .param("origin", originRegion)
                .param("id", r.id())
                .update();
    }

    /** The region whose node decides the request when this node holds a replica; empty when this node decides. */
    Optional<String> originRegion(UUID id) {
        return jdbc.sql("select origin_region from assistance_request where id = :id and origin_region is not null")
                .param("id", id)
                .query(String.class)
                .optional();
    }

    void update(AssistanceRequest r) {
        int updated = jdbc.sql("""
                update assistance_request set state = :state, result = :result,
                  evidence_package_id = :evidencePackageId, decline_reason = :declineReason,
                  acknowledged_at = :acknowledgedAt, closed_at = :closedAt, overdue_raised = :overdueRaised,
                  updated_at = :updatedAt, version = :version
                where id = :id and version = :version - 1""")
                .params(params(r))
                .update();
        if (updated != 1) {
            throw new IllegalStateException("assistance request " + r.id() + " changed under a row lock");
        }
    }

    Optional<AssistanceRequest> find(UUID id) {
        return jdbc.sql("select " + COLUMNS + " from assistance_request where id = :id")
                .param("id", id)
                .query(AssistanceRepository::map)
                .optional();
    }

    Optional<AssistanceRequest> findForUpdate(UUID id) {
        return jdbc.sql("select " + COLUMNS + " from assistance_request where id = :id for update")
                .param("id", id)
                .query(AssistanceRepository::map)
                .optional();
    }

    List<AssistanceRequest> list(String agencyId, Direction direction, AssistanceState state, AssistanceType type,
            PageCursor after, int limit) {
        String parties = direction == null ? "(from_agency = :agency or to_agency = :agency)"
                : direction == Direction.INCOMING ? "to_agency = :agency" : "from_agency = :agency";
        return jdbc.sql("select " + COLUMNS + " from assistance_request where " + parties + """
                  and (cast(:state as text) is null or state = :state)
                  and (cast(:type as text) is null or type = :type)
                  and (cast(:afterTime as timestamptz) is null or (created_at, id) < (:afterTime, :afterId))
                order by created_at desc, id desc limit :limit""")
                .param("agency", agencyId)
                .param("state", state == null ? null : state.name())
                .param("type", type == null ? null : type.name())
                .param("afterTime", after == null ? null : Timestamp.from(after.instant(0)))
                .param("afterId", after == null ? null : after.uuid(1))
                .param("limit", limit)
                .query(AssistanceRepository::map)
                .list();
    }

    List<AssistanceRequest> overdueToRaise(Instant now, int limit) {
        return jdbc.sql("select " + COLUMNS + """
                 from assistance_request
                where state in ('SUBMITTED', 'ACKNOWLEDGED') and not overdue_raised and due_at < :now
                  and origin_region is null
                order by due_at limit :limit for update skip locked""")
                .param("now", Timestamp.from(now))
                .param("limit", limit)
                .query(AssistanceRepository::map)
                .list();
    }

    private static Map<String, Object> params(AssistanceRequest r) {
        Map<String, Object> p = new HashMap<>();
        p.put("id", r.id());
        p.put("type", r.type().name());
        p.put("fromAgency", r.fromAgency());
        p.put("toAgency", r.toAgency());
        p.put("subject", r.subject());
        p.put("details", r.details());
        p.put("caseTransferId", r.caseTransferId());
        p.put("dueAt", Timestamp.from(r.dueAt()));
        p.put("state", r.state().name());
        p.put("result", r.result());
        p.put("evidencePackageId", r.evidencePackageId());
        p.put("declineReason", r.declineReason());
        p.put("acknowledgedAt", timestamp(r.acknowledgedAt()));
        p.put("closedAt", timestamp(r.closedAt()));
        p.put("overdueRaised", r.overdueRaised());
        p.put("createdAt", Timestamp.from(r.createdAt()));
        p.put("updatedAt", Timestamp.from(r.updatedAt()));
        p.put("version", r.version());
        return p;
    }

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }

    private static AssistanceRequest map(ResultSet rs, int row) throws SQLException {
        return new AssistanceRequest(rs.getObject("id", UUID.class), AssistanceType.valueOf(rs.getString("type")),
                rs.getString("from_agency"), rs.getString("to_agency"), rs.getString("subject"),
                rs.getString("details"), rs.getObject("case_transfer_id", UUID.class), instant(rs, "due_at"),
                AssistanceState.valueOf(rs.getString("state")), rs.getString("result"),
                rs.getObject("evidence_package_id", UUID.class), rs.getString("decline_reason"),
                instant(rs, "acknowledged_at"), instant(rs, "closed_at"), rs.getBoolean("overdue_raised"),
                instant(rs, "created_at"), instant(rs, "updated_at"), rs.getInt("version"));
    }
}
