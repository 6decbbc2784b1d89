package cn.chuanyu.gateway.identity;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import cn.chuanyu.contracts.AgencyKind;
import cn.chuanyu.contracts.AgencyRegistered;
import cn.chuanyu.contracts.EventTypes;
import cn.chuanyu.contracts.Region;
import cn.chuanyu.contracts.Role;
import cn.chuanyu.kit.identity.Caller;
import cn.chuanyu.kit.outbox.Outbox;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Principals and their API keys. Lookups are cached briefly because every request authenticates; a revoked key
 * stops working within {@link #CACHE_TTL}.
 */
@Component
class PrincipalRegistry {

    static final Duration CACHE_TTL = Duration.ofSeconds(30);

    private final JdbcClient jdbc;
    private final Outbox outbox;
    private final Clock clock;
    private final Map<String, Cached> byKeyHash = new ConcurrentHashMap<>();

    PrincipalRegistry(JdbcClient jdbc, Outbox outbox, Clock clock) {
        this.jdbc = jdbc;
        this.outbox = outbox;
        this.clock = clock;
    }

    /** Blocking: call it off the event loop. */
    Optional<Caller> authenticate(String plainKey) {
        if (!ApiKeys.looksValid(plainKey)) {
            return Optional.empty();
        }
        String hash = ApiKeys.hash(plainKey);
        Instant now = clock.instant();
        Cached cached = byKeyHash.get(hash);
        if (cached != null && cached.until().isAfter(now)) {
            return Optional.of(cached.caller());
        }
        Optional<Caller> caller = jdbc.sql("""
                select p.id, p.role, p.region, p.kind from api_key k join principal p on p.id = k.principal_id
                where k.key_hash = :hash and k.revoked_at is null and (k.expires_at is null or k.expires_at > now())
                  and p.status = 'ACTIVE'""")
                .param("hash", hash)
                .query((rs, n) -> new Caller(rs.getString("id"), Role.valueOf(rs.getString("role")),
                        rs.getString("region") == null ? null : Region.valueOf(rs.getString("region")),
                        rs.getString("kind") == null ? null : AgencyKind.valueOf(rs.getString("kind"))))
                .optional();
        caller.ifPresentOrElse(c -> byKeyHash.put(hash, new Cached(c, now.plus(CACHE_TTL))),
                () -> byKeyHash.remove(hash));
        return caller;
    }

    boolean isEmpty() {
        return jdbc.sql("select count(*) from principal").query(Integer.class).single() == 0;
    }

    /** Registers an agency and announces it to the services; must run inside a transaction. */
    void registerAgency(String id, String name, Region region, AgencyKind kind) {
        insertPrincipal(id, name, Role.AGENCY, region, kind);
        outbox.append(EventTypes.AGENCY_REGISTERED, id, id, null, new AgencyRegistered(id, name, region, kind));
    }

    void registerStaff(String id, String name, Role role) {
        insertPrincipal(id, name, role, null, null);
    }

    /** Issues a new key for the principal and returns the plain key, which is never stored. */
    String issueKey(String principalId) {
        ApiKeys.Issued issued = ApiKeys.issue();
        jdbc.sql("insert into api_key (id, principal_id, key_hash) values (:id, :principal, :hash)")
                .param("id", issued.keyId())
                .param("principal", principalId)
                .param("hash", issued.hash())
                .update();
        return issued.plainKey();
    }

    private void insertPrincipal(String id, String name, Role role, Region region, AgencyKind kind) {
        new Caller(id, role, region, kind); // validates the id and the agency fields
        jdbc.sql("insert into principal (id, name, role, region, kind) values (:id, :name, :role, :region, :kind)")
                .param("id", id)
                .param("name", name)
                .param("role", role.name())
                .param("region", region == null ? null : region.name())
                .param("kind", kind == null ? null : kind.name())
                .update();
    }

    private record Cached(Caller caller, Instant until) {
    }
}
