package cn.chuanyu.evidence.relay;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import cn.chuanyu.kit.node.DeliveryEvidenceNotes.Evidence;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The two-region tables of this service (V4__two_regions.sql). */
@Repository
class RelayRepository {

    static final String ORIGIN = "ORIGIN";
    static final String DESTINATION = "DESTINATION";

    private final JdbcClient jdbc;

    RelayRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    record PackageLink(UUID packageId, String role, String peerRegion, String contentDigest, long outSeq,
            long inSeq) {
    }

    void insertLink(UUID packageId, String role, String peerRegion, String contentDigest, long outSeq, long inSeq,
            Instant now) {
        jdbc.sql("""
                insert into package_link (package_id, role, peer_region, content_digest, out_seq, in_seq, created_at)
                values (:id, :role, :peer, :digest, :outSeq, :inSeq, :now)""")
                .param("id", packageId).param("role", role).param("peer", peerRegion).param("digest", contentDigest)
                .param("outSeq", outSeq).param("inSeq", inSeq).param("now", Timestamp.from(now))
                .update();
    }

    /** Locks the row for the rest of the transaction (sequence numbers are taken and checked under it). */
    Optional<PackageLink> lockLink(UUID packageId) {
        return jdbc.sql("select * from package_link where package_id = :id for update").param("id", packageId)
                .query((rs, n) -> new PackageLink(rs.getObject("package_id", UUID.class), rs.getString("role"),
                        rs.getString("peer_region"), rs.getString("content_digest"), rs.getLong("out_seq"),
                        rs.getLong("in_seq")))
                .optional();
    }

    /** The next cy-link-seq this node sends for the package. */
    long nextOutSeq(UUID packageId) {
        return jdbc.sql("update package_link set out_seq = out_seq + 1 where package_id = :id returning out_seq")
                .param("id", packageId).query(Long.class).single();
    }

    void setInSeq(UUID packageId, long seq) {
        jdbc.sql("update package_link set in_seq = :seq where package_id = :id")
                .param("seq", seq).param("id", packageId).update();
    }

    record PackageParties(String from, String to) {
    }

    /** The sender and recipient of a package held on this node. */
    Optional<PackageParties> parties(UUID packageId) {
        return jdbc.sql("select from_agency, to_agency from evidence_package where id = :id").param("id", packageId)
                .query((rs, n) -> new PackageParties(rs.getString(1), rs.getString(2))).optional();
    }

    // link_pending: later events of a package held until the earlier ones arrived

    void hold(String subject, long seq, UUID eventId, String payload, Instant now) {
        jdbc.sql("""
                insert into link_pending (subject, seq, event_id, payload, received_at)
                values (:subject, :seq, :eventId, :payload, :now) on conflict do nothing""")
                .param("subject", subject).param("seq", seq).param("eventId", eventId).param("payload", payload)
                .param("now", Timestamp.from(now)).update();
    }

    Optional<String> takeHeld(String subject, long seq) {
        return jdbc.sql("delete from link_pending where subject = :subject and seq = :seq returning payload")
                .param("subject", subject).param("seq", seq).query(String.class).optional();
    }

    // relay_item: the content of a replica's items as it is fetched

    record RelayItem(UUID packageId, String name, String sha256, long size, int attempts, int mismatches) {
    }

    void insertRelayItem(UUID packageId, String name, String sha256, long size, Instant now) {
        jdbc.sql("""
                insert into relay_item (package_id, name, sha256, size, state, next_attempt_at)
                values (:id, :name, :sha256, :size, 'FETCHING', :now) on conflict do nothing""")
                .param("id", packageId).param("name", name).param("sha256", sha256).param("size", size)
                .param("now", Timestamp.from(now)).update();
    }

    List<RelayItem> due(Instant now, int limit) {
        return jdbc.sql("""
                select * from relay_item where state = 'FETCHING' and next_attempt_at <= :now
                order by next_attempt_at limit :limit""")
                .param("now", Timestamp.from(now)).param("limit", limit)
                .query((rs, n) -> new RelayItem(rs.getObject("package_id", UUID.class), rs.getString("name"),
                        rs.getString("sha256"), rs.getLong("size"), rs.getInt("attempts"), rs.getInt("mismatches")))
                .list();
    }

    void attempted(RelayItem item, long rangeStart) {
        jdbc.sql("""
                update relay_item set attempts = attempts + 1, last_range_start = :start
                where package_id = :id and name = :name""")
                .param("start", rangeStart).param("id", item.packageId()).param("name", item.name()).update();
    }

    void failed(RelayItem item, String error, Instant retryAt, boolean mismatch, boolean giveUp) {
        jdbc.sql("""
                update relay_item set last_error = :error, next_attempt_at = :at,
                  mismatches = case when :mismatch then mismatches + 1 else 0 end,
                  state = case when :giveUp then 'FAILED' else state end
                where package_id = :id and name = :name""")
                .param("error", error.length() > 1000 ? error.substring(0, 1000) : error)
                .param("at", Timestamp.from(retryAt)).param("mismatch", mismatch).param("giveUp", giveUp)
                .param("id", item.packageId()).param("name", item.name()).update();
    }

    void verified(RelayItem item, Instant now) {
        jdbc.sql("""
                update relay_item set state = 'VERIFIED', verified_at = :now, last_error = null
                where package_id = :id and name = :name""")
                .param("now", Timestamp.from(now)).param("id", item.packageId()).param("name", item.name()).update();
    }

    /** Puts a package's FAILED items back to be fetched now, from scratch of mismatches; answers their names. */
    List<String> retryFailed(UUID packageId, Instant now) {
        return jdbc.sql("""
                update relay_item set state = 'FETCHING', mismatches = 0, next_attempt_at = :now
                where package_id = :id and state = 'FAILED' returning name""")
                .param("now", Timestamp.from(now)).param("id", packageId).query(String.class).list();
    }

    /** An item fetch given up on, as operators see it. */
    record FailedItem(UUID packageId, String fromAgency, String toAgency, String name, String sha256, long size,
            int attempts, int mismatches, String lastError) {
    }

    /** FAILED item fetches, those given up on longest ago first. */
    List<FailedItem> failedItems(int limit) {
        return jdbc.sql("""
                select r.package_id, p.from_agency, p.to_agency, r.name, r.sha256, r.size, r.attempts, r.mismatches,
                  r.last_error
                from relay_item r join evidence_package p on p.id = r.package_id
                where r.state = 'FAILED' order by r.next_attempt_at, r.package_id, r.name limit :limit""")
                .param("limit", limit)
                .query((rs, n) -> new FailedItem(rs.getObject("package_id", UUID.class), rs.getString("from_agency"),
                        rs.getString("to_agency"), rs.getString("name"), rs.getString("sha256"), rs.getLong("size"),
                        rs.getInt("attempts"), rs.getInt("mismatches"), rs.getString("last_error")))
                .list();
    }

    int unverified(UUID packageId) {
        return jdbc.sql("select count(*) from relay_item where package_id = :id and state <> 'VERIFIED'")
                .param("id", packageId).query(Integer.class).single();
    }

    // deadlines

    /** A package of this node's role past its deadline, with none of the evidences that settle it. */
    record LateLink(UUID packageId, String fromAgency, String toAgency, String contentDigest) {
    }

    /**
     * Packages where this node is {@code role}, linked before {@code before}, with no evidence of the
     * {@code settledBy} types (by either node); locked for the rest of the transaction, skipping any a concurrent
     * scan holds.
     */
    List<LateLink> late(String role, Instant before, List<String> settledBy, int limit) {
        return jdbc.sql("""
                select l.package_id, p.from_agency, p.to_agency, l.content_digest
                from package_link l join evidence_package p on p.id = l.package_id
                where l.role = :role and l.created_at < :before
                  and not exists (select 1 from delivery_evidence d where d.package_id = l.package_id
                                  and d.type in (:settled))
                order by l.created_at limit :limit for update of l skip locked""")
                .param("role", role).param("before", Timestamp.from(before)).param("settled", settledBy)
                .param("limit", limit)
                .query((rs, n) -> new LateLink(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                        rs.getString(4)))
                .list();
    }

    // delivery_evidence

    /** Keeps an evidence; false when one of that type by that issuer was already kept. */
    boolean insertEvidence(UUID packageId, Evidence evidence) {
        return jdbc.sql("""
                insert into delivery_evidence (package_id, type, issuer, time, note)
                values (:id, :type, :issuer, :time, :note) on conflict do nothing""")
                .param("id", packageId).param("type", evidence.type()).param("issuer", evidence.issuer())
                .param("time", Timestamp.from(evidence.time())).param("note", evidence.note())
                .update() == 1;
    }

    boolean hasEvidence(UUID packageId, String type, String issuer) {
        return jdbc.sql("select count(*) from delivery_evidence where package_id = :id and type = :type "
                        + "and issuer = :issuer")
                .param("id", packageId).param("type", type).param("issuer", issuer)
                .query(Integer.class).single() > 0;
    }

    List<Evidence> evidences(UUID packageId) {
        return jdbc.sql("select * from delivery_evidence where package_id = :id order by time, type")
                .param("id", packageId)
                .query((rs, n) -> new Evidence(rs.getString("type"), rs.getObject("package_id", UUID.class).toString(),
                        rs.getString("issuer"), rs.getTimestamp("time").toInstant(), rs.getString("note")))
                .list();
    }
}
