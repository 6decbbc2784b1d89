package cn.chuanyu.evidence.upload;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class UploadRepository {

    private final JdbcClient jdbc;

    UploadRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(Upload u) {
        jdbc.sql("""
                insert into evidence_upload (id, package_id, file_name, length, content_type, expected_sha256,
                  created_by, created_at)
                values (:id, :packageId, :fileName, :length, :contentType, :expected, :createdBy, :createdAt)""")
                .param("id", u.id())
                .param("packageId", u.packageId())
                .param("fileName", u.fileName())
                .param("length", u.length())
                .param("contentType", u.contentType())
                .param("expected", u.expectedSha256())
                .param("createdBy", u.createdBy())
                .param("createdAt", Timestamp.from(u.createdAt()))
                .update();
    }

    Optional<Upload> find(UUID packageId, UUID id) {
        return jdbc.sql("select * from evidence_upload where id = :id and package_id = :packageId")
                .param("id", id)
                .param("packageId", packageId)
                .query(UploadRepository::map)
                .optional();
    }

    void complete(UUID id, Instant at, String sha256) {
        jdbc.sql("update evidence_upload set completed_at = :at, sha256 = :sha where id = :id")
                .param("at", Timestamp.from(at))
                .param("sha", sha256)
                .param("id", id)
                .update();
    }

    void delete(UUID id) {
        jdbc.sql("delete from evidence_upload where id = :id").param("id", id).update();
    }

    /** Removes the unfinished uploads of a package and says which they were. */
    List<UUID> deleteUnfinished(UUID packageId) {
        return jdbc.sql("delete from evidence_upload where package_id = :packageId and completed_at is null "
                        + "returning id")
                .param("packageId", packageId)
                .query((rs, n) -> rs.getObject(1, UUID.class))
                .list();
    }

    private static Upload map(ResultSet rs, int row) throws SQLException {
        Timestamp completed = rs.getTimestamp("completed_at");
        return new Upload(rs.getObject("id", UUID.class), rs.getObject("package_id", UUID.class),
                rs.getString("file_name"), rs.getLong("length"), rs.getString("content_type"),
                rs.getString("expected_sha256"), rs.getString("created_by"), rs.getTimestamp("created_at").toInstant(),
                completed == null ? null : completed.toInstant(), rs.getString("sha256"));
    }
}
