package cn.chuanyu.casetransfer.exchange;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import cn.chuanyu.contracts.EventEnvelope;
import cn.chuanyu.contracts.ExchangeActionRefused;
import cn.chuanyu.kit.json.Json;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The recipients' actions on replicas forwarded to the origin and not answered yet. */
@Component
public class ForwardedActions {

    private final JdbcClient jdbc;
    private final ExchangeEvents events;

    ForwardedActions(JdbcClient jdbc, ExchangeEvents events) {
        this.jdbc = jdbc;
        this.events = events;
    }

    /**
     * The origin refused a forwarded action ({@code *.action-refused}): recorded here too (local audit, the actor's
     * inbox) and that request answered. Transfers and assistance requests alike.
     */
    public ExchangeActionRefused refusalReceived(EventEnvelope event) {
        ExchangeActionRefused refused = Json.fromMap(event.data(), ExchangeActionRefused.class);
        events.recordReceived(event, List.of(refused.actor()));
        resolved(event.subject(), refused.requestEventId(), null, event.time());
        return refused;
    }

    public void forwarded(String exchangeId, String requestEventId, String action, String actor, Instant at) {
        jdbc.sql("""
                insert into forwarded_action (event_id, exchange_id, action, actor, requested_at)
                values (:eventId, :exchangeId, :action, :actor, :at)""")
                .param("eventId", requestEventId)
                .param("exchangeId", exchangeId)
                .param("action", action)
                .param("actor", actor)
                .param("at", Timestamp.from(at))
                .update();
    }

    /** The oldest action still waiting for the origin's answer. */
    public Optional<PendingAction> pending(String exchangeId) {
        return jdbc.sql("""
                select action, requested_at from forwarded_action where exchange_id = :id and resolved_at is null
                order by requested_at limit 1""")
                .param("id", exchangeId)
                .query((rs, n) -> new PendingAction(rs.getString(1), rs.getTimestamp(2).toInstant()))
                .optional();
    }

    /**
     * The origin answered: with a refusal of one request ({@code requestEventId}), with the outcome of an action
     * ({@code action}: every request of it is answered), or with a change that answers them all (a withdrawal:
     * {@code action} and {@code requestEventId} null; the requests themselves are refused after it).
     */
    public void resolved(String exchangeId, String requestEventId, String action, Instant at) {
        jdbc.sql("""
                update forwarded_action set resolved_at = :at
                where exchange_id = :id and resolved_at is null
                  and (cast(:eventId as text) is null or event_id = :eventId)
                  and (cast(:action as text) is null or action = :action)""")
                .param("at", Timestamp.from(at))
                .param("id", exchangeId)
                .param("eventId", requestEventId)
                .param("action", action)
                .update();
    }
}
