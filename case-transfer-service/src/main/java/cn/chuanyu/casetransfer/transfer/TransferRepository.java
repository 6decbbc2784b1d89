package cn.chuanyu.casetransfer.transfer;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class TransferRepository {

    private final JdbcClient jdbc;

    TransferRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(CaseTransfer t) {
        jdbc.sql("""
                insert into case_transfer (id, case_number, title, case_type, from_agency, to_agency, reason, summary,
                  state, created_at, updated_at, version)
                values (:id, :caseNumber, :title, :caseType, :fromAgency, :toAgency, :reason, :summary,
                  :state, :createdAt, :updatedAt, :version)""")
                .param("id", t.id())
                .param("caseNumber", t.caseNumber())
                .param("title", t.title())
                .param("caseType", t.caseType().name())
                .param("fromAgency", t.fromAgency())
                .param("toAgency", t.toAgency())
                .param("reason", t.reason())
                .param("summary", t.summary())
                .param("state", t.state().name())
                .param("createdAt", Timestamp.from(t.createdAt()))
                .param("updatedAt", Timestamp.from(t.updatedAt()))
                .param("version", t.version())
                .update();
    }

    Optional<CaseTransfer> find(UUID id) {
        return jdbc.sql("select * from case_transfer where id = :id")
                .param("id", id)
                .query(TransferRepository::map)
                .optional();
    }

    private static CaseTransfer map(ResultSet rs, int row) throws SQLException {
        return new CaseTransfer(rs.getObject("id", UUID.class), rs.getString("case_number"), rs.getString("title"),
                CaseType.valueOf(rs.getString("case_type")), rs.getString("from_agency"), rs.getString("to_agency"),
                rs.getString("reason"), rs.getString("summary"), TransferState.valueOf(rs.getString("state")),
                rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant(),
                rs.getInt("version"));
    }
}
