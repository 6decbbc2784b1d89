package cn.chuanyu.kit.agency;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import cn.chuanyu.contracts.AgencyRegistered;
import cn.chuanyu.kit.domain.RuleViolationException;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The agencies a service knows of, in its own {@code agency} table (id, name, region, kind, state; created by the
 * service's migrations), fed by the gateway registry's {@code agency.*} events. Agencies are never removed, so a
 * "known" answer is remembered for a while; "unknown" is always asked again. The state is never cached: a
 * suspension must hold on every instance as soon as its event is stored, not when a cache expires.
 */
public class AgencyDirectory {

    private final JdbcClient jdbc;
    private final Cache<String, Boolean> known = Caffeine.newBuilder()
            .maximumSize(10_000)
            .expireAfterWrite(Duration.ofMinutes(5))
            .build();

    public AgencyDirectory(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public boolean exists(String agencyId) {
        if (agencyId == null) {
            return false;
        }
        if (known.getIfPresent(agencyId) != null) {
            return true;
        }
        boolean exists = state(agencyId).isPresent();
        if (exists) {
            known.put(agencyId, Boolean.TRUE);
        }
        return exists;
    }

    /** The agency's state as this service last heard it; empty when it never heard of the agency. */
    public Optional<AgencyState> state(String agencyId) {
        if (agencyId == null) {
            return Optional.empty();
        }
        return jdbc.sql("select state from agency where id = :id")
                .param("id", agencyId)
                .query(String.class)
                .optional()
                .map(AgencyState::valueOf);
    }

    /** The region the agency belongs to; empty when this service never heard of the agency. */
    public Optional<cn.chuanyu.contracts.Region> region(String agencyId) {
        if (agencyId == null) {
            return Optional.empty();
        }
        return jdbc.sql("select region from agency where id = :id")
                .param("id", agencyId)
                .query(String.class)
                .optional()
                .map(cn.chuanyu.contracts.Region::valueOf);
    }

    /**
     * Refuses (as a rule violation of {@code field}) an agency that cannot receive a new exchange: one never
     * registered, or one suspended. One query, uncached: see the class comment.
     */
    public void requireActiveRecipient(String field, String agencyId) {
        AgencyState state = state(agencyId).orElseThrow(() ->
                new RuleViolationException(field, "no agency '" + agencyId + "' is registered"));
        if (state != AgencyState.ACTIVE) {
            throw new RuleViolationException(field,
                    "agency '" + agencyId + "' is " + state + " and cannot receive new exchanges");
        }
    }

    /**
     * Records an agency as the peer node's registry announced it over the link. Unlike {@link #register}, it never
     * changes the region of an agency already stored: the peer may speak only for its own agencies, so a
     * registration naming an agency this node holds under another region (one of ours, say) changes nothing.
     * Returns false in that case (the caller refuses the event); one statement, so no check-then-write window.
     */
    public boolean registerFromPeer(AgencyRegistered agency) {
        return jdbc.sql("""
                insert into agency (id, name, region, kind) values (:id, :name, :region, :kind)
                on conflict (id) do update set name = excluded.name, kind = excluded.kind
                where agency.region = excluded.region""")
                .param("id", agency.agencyId())
                .param("name", agency.name())
                .param("region", agency.region().name())
                .param("kind", agency.kind().name())
                .update() > 0;
    }

    public void register(AgencyRegistered agency) {
        jdbc.sql("""
                insert into agency (id, name, region, kind) values (:id, :name, :region, :kind)
                on conflict (id) do update set name = excluded.name, region = excluded.region, kind = excluded.kind""")
                .param("id", agency.agencyId())
                .param("name", agency.name())
                .param("region", agency.region().name())
                .param("kind", agency.kind().name())
                .update();
    }

    /**
     * Records a suspension or reactivation that happened {@code at}. A change older than the one recorded is
     * ignored, so events that arrive out of order (redelivery, several relays) leave the latest state in place.
     * Returns false when nothing changed (unknown agency, or an older event).
     */
    public boolean changeState(String agencyId, AgencyState state, Instant at) {
        return changeState(agencyId, state, at, null);
    }

    /**
     * As {@link #changeState(String, AgencyState, Instant)}, but only for an agency stored under {@code region}
     * (the peer's, for a change that came over the link): checked in the same statement that writes.
     */
    public boolean changeState(String agencyId, AgencyState state, Instant at, cn.chuanyu.contracts.Region region) {
        return jdbc.sql("""
                update agency set state = :state, state_changed_at = :at,
                  suspended_at = cast(:suspendedAt as timestamptz)
                where id = :id and (state_changed_at is null or state_changed_at <= :at)
                  and (cast(:region as text) is null or region = cast(:region as text))""")
                .param("state", state.name())
                .param("at", Timestamp.from(at))
                .param("suspendedAt", state == AgencyState.SUSPENDED ? Timestamp.from(at) : null)
                .param("id", agencyId)
                .param("region", region == null ? null : region.name())
                .update() > 0;
    }
}
