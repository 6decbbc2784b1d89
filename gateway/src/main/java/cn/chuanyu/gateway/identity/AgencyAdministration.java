package cn.chuanyu.gateway.identity;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import javax.security.auth.x500.X500Principal;

import cn.chuanyu.contracts.AgencyClientCertificateChanged;
import cn.chuanyu.contracts.AgencyKeyIssued;
import cn.chuanyu.contracts.AgencyKeyRevoked;
import cn.chuanyu.contracts.AgencyKind;
import cn.chuanyu.contracts.AgencyReactivated;
import cn.chuanyu.contracts.AgencySuspended;
import cn.chuanyu.contracts.EventTypes;
import cn.chuanyu.contracts.Region;
import cn.chuanyu.kit.identity.Caller;
import cn.chuanyu.kit.outbox.Outbox;
import cn.chuanyu.kit.domain.StateConflictException;
import cn.chuanyu.kit.domain.RuleViolationException;
import cn.chuanyu.kit.domain.NotFoundException;
import cn.chuanyu.kit.web.Page;
import cn.chuanyu.kit.web.PageCursor;
import cn.chuanyu.kit.web.Paging;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The operators' side of the agency registry. Each action changes the registry and appends its audit event to the
 * outbox in one transaction; cached lookups of the agency are dropped once it committed. Blocking: call it off the
 * event loop.
 */
@Component
class AgencyAdministration {


    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final PrincipalRegistry registry;
    private final Outbox outbox;
    private final Clock clock;

    AgencyAdministration(JdbcClient jdbc, TransactionTemplate tx, PrincipalRegistry registry, Outbox outbox,
            Clock clock) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.registry = registry;
        this.outbox = outbox;
        this.clock = clock;
    }

    AgencyView create(AgencyRequests.Create request, Caller by) {
        X500Principal subject = request.clientCertificateSubject() == null ? null
                : subject("clientCertificateSubject", request.clientCertificateSubject());
        registry.requireLocalRegion("region", request.region());
        return tx.execute(status -> {
            if (jdbc.sql("select count(*) from principal where id = :id").param("id", request.id())
                    .query(Integer.class).single() > 0) {
                throw new StateConflictException("a principal with id '" + request.id() + "' already exists");
            }
            registry.registerAgency(request.id(), request.name(), request.region(), request.kind());
            if (subject != null) {
                bindSubject(request.id(), subject, by);
            }
            return find(request.id());
        });
    }

    Page<AgencyView> list(Integer limit, String cursor) {
        int size = Paging.limit(limit);
        PageCursor position = PageCursor.decode(cursor, 1);
        String after = position == null ? "" : position.text(0);
        List<String> ids = jdbc.sql("""
                select id from principal where role = 'AGENCY' and id > :after order by id limit :limit""")
                .param("after", after)
                .param("limit", size + 1)
                .query(String.class)
                .list();
        return Paging.page(ids, size, PageCursor::encode, this::find);
    }

    AgencyView get(String id) {
        return find(id);
    }

    IssuedKeyView issueKey(String agencyId, Instant expiresAt, Caller by) {
        if (expiresAt != null && !expiresAt.isAfter(clock.instant())) {
            throw new RuleViolationException("expiresAt", "must be in the future");
        }
        return tx.execute(status -> {
            find(agencyId);
            PrincipalRegistry.IssuedKey key = registry.issueKey(agencyId, expiresAt, by.id());
            outbox.append(EventTypes.AGENCY_KEY_ISSUED, agencyId, agencyId, null, new AgencyKeyIssued(agencyId,
                    key.id(), expiresAt == null ? null : expiresAt.toString(), by.id()));
            return new IssuedKeyView(key.id(), key.plainKey(), key.createdAt(), key.expiresAt());
        });
    }

    /** Idempotent: revoking a revoked key changes nothing and records nothing. */
    void revokeKey(String agencyId, String keyId, Caller by) {
        tx.executeWithoutResult(status -> {
            find(agencyId);
            int exists = jdbc.sql("select count(*) from api_key where id = :key and principal_id = :agency")
                    .param("key", keyId).param("agency", agencyId).query(Integer.class).single();
            if (exists == 0) {
                throw new NotFoundException("agency " + agencyId + " has no key " + keyId);
            }
            if (registry.revokeKey(agencyId, keyId, by.id())) {
                outbox.append(EventTypes.AGENCY_KEY_REVOKED, agencyId, agencyId, null,
                        new AgencyKeyRevoked(agencyId, keyId, by.id()));
            }
        });
        registry.invalidate(agencyId);
    }

    AgencyView suspend(String agencyId, String reason, Caller by) {
        AgencyView view = tx.execute(status -> {
            AgencyView current = find(agencyId);
            if ("SUSPENDED".equals(current.status())) {
                throw new StateConflictException("agency " + agencyId + " is already suspended", "SUSPENDED");
            }
            jdbc.sql("""
                    update principal set status = 'SUSPENDED', suspended_at = :now, suspension_reason = :reason
                    where id = :id""")
                    .param("now", Timestamp.from(clock.instant())).param("reason", reason).param("id", agencyId)
                    .update();
            outbox.append(EventTypes.AGENCY_SUSPENDED, agencyId, agencyId, null,
                    new AgencySuspended(agencyId, reason, by.id()), registry.directoryRoute(current.region()));
            return find(agencyId);
        });
        registry.invalidate(agencyId);
        return view;
    }

    AgencyView reactivate(String agencyId, Caller by) {
        AgencyView view = tx.execute(status -> {
            AgencyView current = find(agencyId);
            if ("ACTIVE".equals(current.status())) {
                throw new StateConflictException("agency " + agencyId + " is not suspended", "ACTIVE");
            }
            jdbc.sql("""
                    update principal set status = 'ACTIVE', suspended_at = null, suspension_reason = null
                    where id = :id""")
                    .param("id", agencyId)
                    .update();
            outbox.append(EventTypes.AGENCY_REACTIVATED, agencyId, agencyId, null,
                    new AgencyReactivated(agencyId, by.id()), registry.directoryRoute(current.region()));
            return find(agencyId);
        });
        registry.invalidate(agencyId);
        return view;
    }

    /** Sets (subject given) or removes (null) the client-certificate subject mapped to the agency. */
    AgencyView setClientCertificate(String agencyId, String subject, Caller by) {
        X500Principal parsed = subject == null ? null : subject("subject", subject);
        AgencyView view = tx.execute(status -> {
            find(agencyId);
            if (parsed == null) {
                jdbc.sql("""
                        update principal set client_cert_subject = null, client_cert_subject_canonical = null
                        where id = :id""").param("id", agencyId).update();
                outbox.append(EventTypes.AGENCY_CLIENT_CERTIFICATE_CHANGED, agencyId, agencyId, null,
                        new AgencyClientCertificateChanged(agencyId, null, by.id()));
            }
            else {
                bindSubject(agencyId, parsed, by);
            }
            return find(agencyId);
        });
        registry.invalidate(agencyId);
        return view;
    }

    private void bindSubject(String agencyId, X500Principal subject, Caller by) {
        String canonical = subject.getName(X500Principal.CANONICAL);
        String holder = jdbc.sql("select id from principal where client_cert_subject_canonical = :s and id <> :id")
                .param("s", canonical).param("id", agencyId).query(String.class).optional().orElse(null);
        if (holder != null) {
            throw new StateConflictException("this certificate subject is already registered for " + holder);
        }
        jdbc.sql("""
                update principal set client_cert_subject = :subject, client_cert_subject_canonical = :canonical
                where id = :id""")
                .param("subject", subject.getName()).param("canonical", canonical).param("id", agencyId)
                .update();
        outbox.append(EventTypes.AGENCY_CLIENT_CERTIFICATE_CHANGED, agencyId, agencyId, null,
                new AgencyClientCertificateChanged(agencyId, subject.getName(), by.id()));
    }

    private AgencyView find(String id) {
        AgencyView agency = jdbc.sql("""
                select id, name, region, kind, status, created_at, suspended_at, suspension_reason,
                       client_cert_subject
                from principal where id = :id and role = 'AGENCY'""")
                .param("id", id)
                .query((rs, n) -> new AgencyView(rs.getString("id"), rs.getString("name"),
                        Region.valueOf(rs.getString("region")), AgencyKind.valueOf(rs.getString("kind")),
                        rs.getString("status"), instant(rs, "created_at"), instant(rs, "suspended_at"),
                        rs.getString("suspension_reason"), rs.getString("client_cert_subject"), List.of()))
                .optional()
                .orElseThrow(() -> new NotFoundException("no agency " + id));
        Instant now = clock.instant();
        List<KeyView> keys = jdbc.sql("""
                select id, created_at, expires_at, revoked_at, created_by, revoked_by
                from api_key where principal_id = :id order by created_at, id""")
                .param("id", id)
                .query((rs, n) -> {
                    Instant expires = instant(rs, "expires_at");
                    Instant revoked = instant(rs, "revoked_at");
                    String state = revoked != null ? "REVOKED"
                            : expires != null && !expires.isAfter(now) ? "EXPIRED" : "ACTIVE";
                    return new KeyView(rs.getString("id"), state, instant(rs, "created_at"), expires, revoked,
                            rs.getString("created_by"), rs.getString("revoked_by"));
                })
                .list();
        return agency.withKeys(keys);
    }

    private static X500Principal subject(String field, String subject) {
        try {
            return ClientCertificates.parse(subject);
        }
        catch (IllegalArgumentException ex) {
            throw new RuleViolationException(field, "must be an X.500 distinguished name such as "
                    + "'CN=sc-chengdu-intermediate-court,O=Chengdu Intermediate Court,C=CN'");
        }
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }

    /** An agency as operators see it: never a key, only key ids and states. */
    record AgencyView(String id, String name, Region region, AgencyKind kind, String status, Instant createdAt,
            Instant suspendedAt, String suspensionReason, String clientCertificateSubject, List<KeyView> keys) {

        AgencyView withKeys(List<KeyView> keys) {
            return new AgencyView(id, name, region, kind, status, createdAt, suspendedAt, suspensionReason,
                    clientCertificateSubject, keys);
        }
    }

    record KeyView(String id, String status, Instant createdAt, Instant expiresAt, Instant revokedAt,
            String createdBy, String revokedBy) {
    }

    /** The only time the key itself is shown. */
    record IssuedKeyView(String id, String apiKey, Instant createdAt, Instant expiresAt) {
    }
}
