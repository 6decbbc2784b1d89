package cn.chuanyu.audit.ops;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import cn.chuanyu.contracts.EventTypes;
import cn.chuanyu.contracts.Role;
import cn.chuanyu.kit.identity.Caller;
import cn.chuanyu.kit.web.InvalidParameterException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * The path of one request as a timeline: the gateway's access record, each service event when it happened
 * ({@code occurredAt}) and when the audit trail recorded it after its queue hop ({@code recordedAt}), and the dead
 * letters (and their replay or discard) of that correlation id, ordered by time.
 */
@Tag(name = "Operations: traces", description = "The path of one request through the platform "
        + "(operators)")
@RestController
class TraceController {

    private static final int MAX_ENTRIES = 2000;

    private final JdbcClient jdbc;
    private final DeadLetterStore store;

    TraceController(JdbcClient jdbc, DeadLetterStore store) {
        this.jdbc = jdbc;
        this.store = store;
    }

    record Step(Instant time, String kind, String type, String source, String exchangeId, String detail) {
    }

    record Trace(String correlationId, List<Step> timeline) {
    }

    @Operation(operationId = "getTrace", summary = "The timeline of one correlation id",
            description = "The gateway's access record, each event when it happened and when the audit trail recorded "
                    + "it, and the dead letters of that correlation id (and their replay or discard), in time order. "
                    + "Operators only.")
    @GetMapping("/api/v1/ops/trace/{correlationId}")
    Trace trace(Caller caller, @PathVariable String correlationId) {
        caller.requireRole(Role.OPERATOR);
        if (correlationId.length() > 128) {
            throw new InvalidParameterException("correlationId", "at most 128 characters");
        }
        List<Step> steps = new ArrayList<>();
        jdbc.sql("""
                select seq, type, source, exchange_id, from_agency, to_agency, occurred_at, recorded_at,
                  (envelope::jsonb) -> 'data' ->> 'method', (envelope::jsonb) -> 'data' ->> 'path',
                  (envelope::jsonb) -> 'data' ->> 'status'
                from audit_entry where correlation_id = :c order by seq limit :limit""")
                .param("c", correlationId)
                .param("limit", MAX_ENTRIES)
                .query((rs, n) -> {
                    long seq = rs.getLong(1);
                    String type = rs.getString(2);
                    String source = rs.getString(3);
                    String exchangeId = rs.getString(4);
                    Instant occurred = rs.getTimestamp(7).toInstant();
                    Instant recorded = rs.getTimestamp(8).toInstant();
                    boolean access = EventTypes.GATEWAY_ACCESS.equals(type);
                    String detail = access
                            ? rs.getString(9) + " " + rs.getString(10) + " -> " + rs.getString(11)
                            : parties(rs.getString(5), rs.getString(6));
                    steps.add(new Step(occurred, access ? "gateway-access" : "event", type, source, exchangeId,
                            detail));
                    steps.add(new Step(recorded, "audit-recorded", type, "audit-service", exchangeId,
                            "audit seq " + seq + " after " + Math.max(0, recorded.toEpochMilli()
                                    - occurred.toEpochMilli()) + " ms on the bus"));
                    return seq;
                })
                .list();
        for (DeadLetter d : store.search(new DeadLetterStore.Filter(null, null, null, null, null, null,
                correlationId), null, 500)) {
            steps.add(new Step(d.deadLetteredAt(), "dead-lettered", d.type(), d.queue(), d.exchangeId(),
                    d.reason() + " (after " + d.attempts() + " round(s); dead letter " + d.id() + ")"));
            if (d.actedAt() != null) {
                steps.add(new Step(d.actedAt(), DeadLetter.REPLAYED.equals(d.state()) ? "replayed" : "discarded",
                        d.type(), d.queue(), d.exchangeId(), "by " + d.actedBy()
                                + (d.discardReason() == null ? "" : ": " + d.discardReason())));
            }
        }
        steps.sort(Comparator.comparing(Step::time));
        return new Trace(correlationId, steps);
    }

    private static String parties(String from, String to) {
        if (from == null && to == null) {
            return null;
        }
        return (from == null ? "?" : from) + " -> " + (to == null ? "?" : to);
    }
}
