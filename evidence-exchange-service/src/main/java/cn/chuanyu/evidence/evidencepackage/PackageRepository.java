package cn.chuanyu.evidence.evidencepackage;

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
class PackageRepository {

    private final JdbcClient jdbc;

    PackageRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(EvidencePackage p) {
        jdbc.sql("""
                insert into evidence_package (id, title, from_agency, to_agency, state, case_transfer_id,
                  assistance_request_id, created_at, updated_at, version)
                values (:id, :title, :from, :to, :state, :caseTransferId, :assistanceRequestId, :createdAt,
                  :updatedAt, :version)""")
                .param("id", p.id())
                .param("title", p.title())
                .param("from", p.fromAgency())
                .param("to", p.toAgency())
                .param("state", p.state().name())
                .param("caseTransferId", p.caseTransferId())
                .param("assistanceRequestId", p.assistanceRequestId())
                .param("createdAt", Timestamp.from(p.createdAt()))
                .param("updatedAt", Timestamp.from(p.updatedAt()))
                .param("version", p.version())
                .update();
    }

    Optional<EvidencePackage> find(UUID id) {
        return jdbc.sql("select * from evidence_package where id = :id").param("id", id)
                .query(PackageRepository::map).optional();
    }

    /** Locks the row for the rest of the transaction: adding an item and sealing never interleave. */
    Optional<EvidencePackage> findForUpdate(UUID id) {
        return jdbc.sql("select * from evidence_package where id = :id for update").param("id", id)
                .query(PackageRepository::map).optional();
    }

    void saveSeal(EvidencePackage p) {
        EvidencePackage.Seal s = p.seal();
        jdbc.sql("""
                update evidence_package set state = :state, sealed_at = :sealedAt, manifest = :manifest,
                  manifest_sha256 = :sha, signature = :signature, signing_key_id = :keyId,
                  signing_public_key = :publicKey, signature_sm2 = :signatureSm2,
                  signing_public_key_sm2 = :publicKeySm2, updated_at = :updatedAt, version = :version
                where id = :id""")
                .param("state", p.state().name())
                .param("sealedAt", Timestamp.from(s.sealedAt()))
                .param("manifest", s.manifest())
                .param("sha", s.manifestSha256())
                .param("signature", s.signature())
                .param("keyId", s.signingKeyId())
                .param("publicKey", s.signingPublicKey())
                .param("signatureSm2", s.signatureSm2())
                .param("publicKeySm2", s.signingPublicKeySm2())
                .param("updatedAt", Timestamp.from(p.updatedAt()))
                .param("version", p.version())
                .param("id", p.id())
                .update();
    }

    void saveReceipt(UUID id, Instant at, String result) {
        jdbc.sql("update evidence_package set last_receipt_at = :at, last_receipt_result = :result where id = :id")
                .param("at", Timestamp.from(at))
                .param("result", result)
                .param("id", id)
                .update();
    }

    /** Inserts or replaces; returns true when an item of that name was there before. */
    boolean upsertItem(EvidenceItem item) {
        boolean existed = findItem(item.packageId(), item.name()).isPresent();
        jdbc.sql("""
                insert into evidence_item (package_id, name, size, sha256, content_type, added_by, added_at, sm3)
                values (:packageId, :name, :size, :sha256, :contentType, :addedBy, :addedAt, :sm3)
                on conflict (package_id, name) do update set size = excluded.size, sha256 = excluded.sha256,
                  sm3 = excluded.sm3,
                  content_type = excluded.content_type, added_by = excluded.added_by, added_at = excluded.added_at""")
                .param("packageId", item.packageId())
                .param("name", item.name())
                .param("size", item.size())
                .param("sha256", item.sha256())
                .param("contentType", item.contentType())
                .param("addedBy", item.addedBy())
                .param("addedAt", Timestamp.from(item.addedAt()))
                .param("sm3", item.sm3())
                .update();
        return existed;
    }

    Optional<EvidenceItem> findItem(UUID packageId, String name) {
        return jdbc.sql("select * from evidence_item where package_id = :packageId and name = :name")
                .param("packageId", packageId)
                .param("name", name)
                .query(PackageRepository::mapItem)
                .optional();
    }

    List<EvidenceItem> items(UUID packageId) {
        return jdbc.sql("select * from evidence_item where package_id = :packageId order by name")
                .param("packageId", packageId)
                .query(PackageRepository::mapItem)
                .list();
    }

    record Totals(int count, long bytes) {
    }

    Totals totals(UUID packageId) {
        return jdbc.sql("select count(*), coalesce(sum(size), 0) from evidence_item where package_id = :packageId")
                .param("packageId", packageId)
                .query((rs, n) -> new Totals(rs.getInt(1), rs.getLong(2)))
                .single();
    }

    /**
     * Newest first. Outgoing: every package the agency sends; incoming: packages sealed for it (an open package is
     * not delivered yet). Keyset paging on (created_at, id).
     */
    List<EvidencePackage> page(String agency, String direction, Instant beforeCreated, UUID beforeId, int limit) {
        String who = switch (direction) {
            case "outgoing" -> "from_agency = :agency";
            case "incoming" -> "to_agency = :agency and state = 'SEALED'";
            default -> "(from_agency = :agency or (to_agency = :agency and state = 'SEALED'))";
        };
        String after = beforeCreated == null ? "" : " and (created_at, id) < (:createdAt, :id)";
        var spec = jdbc.sql("select * from evidence_package where " + who + after
                        + " order by created_at desc, id desc limit :limit")
                .param("agency", agency)
                .param("limit", limit);
        if (beforeCreated != null) {
            spec = spec.param("createdAt", Timestamp.from(beforeCreated)).param("id", beforeId);
        }
        return spec.query(PackageRepository::map).list();
    }

    private static EvidencePackage map(ResultSet rs, int row) throws SQLException {
        Timestamp sealedAt = rs.getTimestamp("sealed_at");
        EvidencePackage.Seal seal = sealedAt == null ? null : new EvidencePackage.Seal(sealedAt.toInstant(),
                rs.getString("manifest"), rs.getString("manifest_sha256"), rs.getString("signature"),
                rs.getString("signing_key_id"), rs.getString("signing_public_key"), rs.getString("signature_sm2"),
                rs.getString("signing_public_key_sm2"));
        Timestamp receiptAt = rs.getTimestamp("last_receipt_at");
        EvidencePackage.Receipt receipt = receiptAt == null ? null
                : new EvidencePackage.Receipt(receiptAt.toInstant(), rs.getString("last_receipt_result"));
        return new EvidencePackage(rs.getObject("id", UUID.class), rs.getString("title"),
                rs.getString("from_agency"), rs.getString("to_agency"), PackageState.valueOf(rs.getString("state")),
                rs.getObject("case_transfer_id", UUID.class), rs.getObject("assistance_request_id", UUID.class),
                rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant(), seal, receipt,
                rs.getInt("version"));
    }

    private static EvidenceItem mapItem(ResultSet rs, int row) throws SQLException {
        return new EvidenceItem(rs.getObject("package_id", UUID.class), rs.getString("name"), rs.getLong("size"),
                rs.getString("sha256"), rs.getString("content_type"), rs.getString("added_by"),
                rs.getTimestamp("added_at").toInstant(), rs.getString("sm3"));
    }
}
