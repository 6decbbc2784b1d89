package cn.chuanyu.gateway.identity;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import cn.chuanyu.contracts.AgencyKind;
import cn.chuanyu.contracts.AgencyRegistered;
import cn.chuanyu.contracts.EventTypes;
import cn.chuanyu.contracts.Region;
import cn.chuanyu.contracts.Role;
import cn.chuanyu.kit.domain.RuleViolationException;
import cn.chuanyu.kit.identity.Caller;
import cn.chuanyu.kit.node.NodeIdentity;
import cn.chuanyu.kit.outbox.LinkRoute;
import cn.chuanyu.kit.outbox.Outbox;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Principals, their API keys and client-certificate subjects. Lookups are cached briefly because every request
 * authenticates. This instance drops its cache entries of a principal as soon as a key is revoked or the agency is
 * suspended; other gateway instances notice within {@link #CACHE_TTL}.
 */
@Component
class PrincipalRegistry {

    static final Duration CACHE_TTL = Duration.ofSeconds(30);

    private final JdbcClient jdbc;
    private final Outbox outbox;
    private final Clock clock;
    private final NodeIdentity node;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    /** Bumped on every invalidation, so a lookup that raced with a change does not cache what it read before. */
    private final AtomicLong generation = new AtomicLong();

    PrincipalRegistry(JdbcClient jdbc, Outbox outbox, Clock clock, NodeIdentity node) {
        this.jdbc = jdbc;
        this.outbox = outbox;
        this.clock = clock;
        this.node = node;
    }

    /**
     * Where an agency directory event about an agency of {@code agencyRegion} goes beyond this node: in two-region
     * mode, this node's own agencies are announced to the peer node too (its services validate {@code toAgency}
     * without asking us); on one node, and for any other agency, nowhere.
     */
    LinkRoute directoryRoute(Region agencyRegion) {
        if (!node.twoRegions() || !node.isLocal(agencyRegion)) {
            return null;
        }
        return new LinkRoute(node.peerRegion().orElseThrow().name(), null);
    }

    /**
     * Refuses (as a rule violation of {@code field}) an agency this node may not register: in two-region mode each
     * node holds only its own region's agencies; the peer's arrive over the link from the peer's registry.
     */
    void requireLocalRegion(String field, Region region) {
        if (region != null && !node.isLocal(region)) {
            throw new RuleViolationException(field, "this node serves region "
                    + node.region().orElseThrow() + "; agencies of " + region + " are registered at the "
                    + region + " node");
        }
    }

    /** Who holds this key, if it is known, unrevoked and unexpired. Blocking: call it off the event loop. */
    Optional<Authentication> authenticate(String plainKey) {
        if (!ApiKeys.looksValid(plainKey)) {
            return Optional.empty();
        }
        String hash = ApiKeys.hash(plainKey);
        return cached("key:" + hash, () -> jdbc.sql("""
                select p.id, p.role, p.region, p.kind, p.status, k.expires_at
                from api_key k join principal p on p.id = k.principal_id
                where k.key_hash = :hash and k.revoked_at is null and (k.expires_at is null or k.expires_at > now())""")
                .param("hash", hash)
                .query(PrincipalRegistry::authentication)
                .optional());
    }

    /**
     * The cached answer for this key, if there is a fresh one; never touches the database, so the filter can use it
     * on the event loop and leave the blocking {@link #authenticate} for misses.
     */
    Optional<Authentication> cachedAuthentication(String plainKey) {
        if (!ApiKeys.looksValid(plainKey)) {
            return Optional.empty();
        }
        return fresh("key:" + ApiKeys.hash(plainKey), clock.instant());
    }

    /** Which agency a verified client certificate's subject is registered for. Blocking. */
    Optional<Authentication> authenticateCertificate(String canonicalSubject) {
        return cached("cert:" + canonicalSubject, () -> jdbc.sql("""
                select p.id, p.role, p.region, p.kind, p.status, null::timestamptz as expires_at
                from principal p where p.client_cert_subject_canonical = :subject""")
                .param("subject", canonicalSubject)
                .query(PrincipalRegistry::authentication)
                .optional());
    }

    /** Drops every cached lookup of the principal; call it after the change committed. */
    void invalidate(String principalId) {
        generation.incrementAndGet();
        cache.values().removeIf(entry -> entry.authentication().caller().id().equals(principalId));
    }

    boolean isEmpty() {
        return jdbc.sql("select count(*) from principal").query(Integer.class).single() == 0;
    }

    /** Registers an agency and announces it to the services; must run inside a transaction. */
    void registerAgency(String id, String name, Region region, AgencyKind kind) {
        insertPrincipal(id, name, Role.AGENCY, region, kind);
        outbox.append(EventTypes.AGENCY_REGISTERED, id, id, null, new AgencyRegistered(id, name, region, kind),
                directoryRoute(region));
    }

    /**
     * Announces every registered agency again. Consumers upsert, so this is harmless, and it fills the directory of
     * a service whose database or queue is newer than the registration. Must run inside a transaction.
     */
    int announceAll() {
        List<AgencyRegistered> agencies = jdbc.sql("""
                select id, name, region, kind from principal where role = 'AGENCY' order by id""")
                .query((rs, n) -> new AgencyRegistered(rs.getString("id"), rs.getString("name"),
                        Region.valueOf(rs.getString("region")), AgencyKind.valueOf(rs.getString("kind"))))
                .list();
        agencies.forEach(a -> outbox.append(EventTypes.AGENCY_REGISTERED, a.agencyId(), a.agencyId(), null, a,
                directoryRoute(a.region())));
        return agencies.size();
    }

    void registerStaff(String id, String name, Role role) {
        insertPrincipal(id, name, role, null, null);
    }

    /** Issues a new key for the principal and returns the plain key, which is never stored. */
    String issueKey(String principalId) {
        return issueKey(principalId, null, null).plainKey();
    }

    /** Issues a key (optionally expiring); the plain key in the result is shown once and never stored. */
    IssuedKey issueKey(String principalId, Instant expiresAt, String issuedBy) {
        ApiKeys.Issued issued = ApiKeys.issue();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        jdbc.sql("""
                insert into api_key (id, principal_id, key_hash, created_at, expires_at, created_by)
                values (:id, :principal, :hash, :created, :expires, :by)""")
                .param("id", issued.keyId())
                .param("principal", principalId)
                .param("hash", issued.hash())
                .param("created", Timestamp.from(now))
                .param("expires", expiresAt == null ? null : Timestamp.from(expiresAt))
                .param("by", issuedBy)
                .update();
        return new IssuedKey(issued.keyId(), issued.plainKey(), now, expiresAt);
    }

    /** Revokes a principal's key if it is active; true when this call revoked it. Callers invalidate the cache. */
    boolean revokeKey(String principalId, String keyId, String revokedBy) {
        return jdbc.sql("""
                update api_key set revoked_at = :now, revoked_by = :by
                where id = :key and principal_id = :principal and revoked_at is null""")
                .param("now", Timestamp.from(clock.instant())).param("by", revokedBy)
                .param("key", keyId).param("principal", principalId)
                .update() > 0;
    }

    record IssuedKey(String id, String plainKey, Instant createdAt, Instant expiresAt) {
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

    private Optional<Authentication> cached(String cacheKey, java.util.function.Supplier<Optional<Found>> lookup) {
        Instant now = clock.instant();
        Optional<Authentication> known = fresh(cacheKey, now);
        if (known.isPresent()) {
            return known;
        }
        long before = generation.get();
        Optional<Found> found = lookup.get();
        if (found.isEmpty()) {
            cache.remove(cacheKey);
            return Optional.empty();
        }
        Instant until = now.plus(CACHE_TTL);
        if (found.get().expiresAt() != null && found.get().expiresAt().isBefore(until)) {
            until = found.get().expiresAt(); // an expiring key is not served from the cache past its expiry
        }
        if (generation.get() == before) {
            cache.put(cacheKey, new Cached(found.get().authentication(), until));
        }
        return Optional.of(found.get().authentication());
    }

    private Optional<Authentication> fresh(String cacheKey, Instant now) {
        Cached cached = cache.get(cacheKey);
        return cached != null && cached.until().isAfter(now) ? Optional.of(cached.authentication()) : Optional.empty();
    }

    private static Found authentication(ResultSet rs, int row) throws SQLException {
        Caller caller = new Caller(rs.getString("id"), Role.valueOf(rs.getString("role")),
                rs.getString("region") == null ? null : Region.valueOf(rs.getString("region")),
                rs.getString("kind") == null ? null : AgencyKind.valueOf(rs.getString("kind")));
        Timestamp expires = rs.getTimestamp("expires_at");
        return new Found(new Authentication(caller, "SUSPENDED".equals(rs.getString("status"))),
                expires == null ? null : expires.toInstant());
    }

    /** A known principal; a suspended one is refused with 403 rather than treated as unknown. */
    record Authentication(Caller caller, boolean suspended) {
    }

    private record Found(Authentication authentication, Instant expiresAt) {
    }

    private record Cached(Authentication authentication, Instant until) {
    }
}
