package cn.chuanyu.gateway.identity;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import cn.chuanyu.contracts.AgencyKeyIssued;
import cn.chuanyu.contracts.AgencyKeyRevoked;
import cn.chuanyu.contracts.EventTypes;
import cn.chuanyu.contracts.Role;
import cn.chuanyu.kit.domain.NotFoundException;
import cn.chuanyu.kit.domain.RuleViolationException;
import cn.chuanyu.kit.domain.StateConflictException;
import cn.chuanyu.kit.identity.Caller;
import cn.chuanyu.kit.outbox.Outbox;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * API keys of operators and auditors, managed by operators. Each action and its audit event commit together; the
 * events are the agency key events' records with the principal's id (an operator or auditor is no agency, so no
 * agency ever sees them in its trail). The platform never locks itself out: the last active operator key cannot be
 * revoked. Blocking: call it off the event loop.
 */
@Component
class StaffKeyAdministration {

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final PrincipalRegistry registry;
    private final Outbox outbox;
    private final Clock clock;

    StaffKeyAdministration(JdbcClient jdbc, TransactionTemplate tx, PrincipalRegistry registry, Outbox outbox,
            Clock clock) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.registry = registry;
        this.outbox = outbox;
        this.clock = clock;
    }

    StaffView get(String id) {
        return find(id);
    }

    AgencyAdministration.IssuedKeyView issueKey(String principalId, Instant expiresAt, Caller by) {
        if (expiresAt != null && !expiresAt.isAfter(clock.instant())) {
            throw new RuleViolationException("expiresAt", "must be in the future");
        }
        return tx.execute(status -> {
            find(principalId);
            PrincipalRegistry.IssuedKey key = registry.issueKey(principalId, expiresAt, by.id());
            outbox.append(EventTypes.AGENCY_KEY_ISSUED, principalId, null, null, new AgencyKeyIssued(principalId,
                    key.id(), expiresAt == null ? null : expiresAt.toString(), by.id()));
            return new AgencyAdministration.IssuedKeyView(key.id(), key.plainKey(), key.createdAt(),
                    key.expiresAt());
        });
    }

    /** Idempotent like an agency key's revocation; 409 for the last active operator key. */
    void revokeKey(String principalId, String keyId, Caller by) {
        tx.executeWithoutResult(status -> {
            StaffView staff = find(principalId);
            if (staff.keys().stream().noneMatch(k -> k.id().equals(keyId))) {
                throw new NotFoundException(principalId + " has no key " + keyId);
            }
            // Locks every active operator key, so two revocations of the last two cannot both pass this check.
            List<String> activeOperatorKeys = jdbc.sql("""
                    select k.id from api_key k join principal p on p.id = k.principal_id
                    where p.role = 'OPERATOR' and k.revoked_at is null and (k.expires_at is null or k.expires_at > now())
                    for update of k""")
                    .query(String.class)
                    .list();
            if (activeOperatorKeys.equals(List.of(keyId))) {
                throw new StateConflictException("key " + keyId + " is the last active operator key: issue another "
                        + "operator key first, or the platform could not be administered any more");
            }
            if (registry.revokeKey(principalId, keyId, by.id())) {
                outbox.append(EventTypes.AGENCY_KEY_REVOKED, principalId, null, null,
                        new AgencyKeyRevoked(principalId, keyId, by.id()));
            }
        });
        registry.invalidate(principalId);
    }

    private StaffView find(String id) {
        StaffView staff = jdbc.sql("""
                select id, name, role from principal where id = :id and role in ('OPERATOR', 'AUDITOR')""")
                .param("id", id)
                .query((rs, n) -> new StaffView(rs.getString("id"), rs.getString("name"),
                        Role.valueOf(rs.getString("role")), List.of()))
                .optional()
                .orElseThrow(() -> new NotFoundException("no operator or auditor " + id));
        Instant now = clock.instant();
        List<AgencyAdministration.KeyView> keys = jdbc.sql("""
                select id, created_at, expires_at, revoked_at, created_by, revoked_by
                from api_key where principal_id = :id order by created_at, id""")
                .param("id", id)
                .query((rs, n) -> {
                    Timestamp expiresAt = rs.getTimestamp("expires_at");
                    Timestamp revokedAt = rs.getTimestamp("revoked_at");
                    Instant expires = expiresAt == null ? null : expiresAt.toInstant();
                    Instant revoked = revokedAt == null ? null : revokedAt.toInstant();
                    String state = revoked != null ? "REVOKED"
                            : expires != null && !expires.isAfter(now) ? "EXPIRED" : "ACTIVE";
                    return new AgencyAdministration.KeyView(rs.getString("id"), state,
                            rs.getTimestamp("created_at").toInstant(), expires, revoked, rs.getString("created_by"),
                            rs.getString("revoked_by"));
                })
                .list();
        return new StaffView(staff.id(), staff.name(), staff.role(), keys);
    }

    /** An operator or auditor with its keys' ids and states, never a key. */
    record StaffView(String id, String name, Role role, List<AgencyAdministration.KeyView> keys) {
    }
}
