package cn.chuanyu.audit.ops;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import cn.chuanyu.contracts.Role;
import cn.chuanyu.kit.identity.Caller;
import cn.chuanyu.kit.web.InvalidParameterException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Entries recorded per minute and event type over the last window (at most {@value #MAX_MINUTES} minutes), for the
 * console's flow chart. One grouped range scan of the {@code recorded_at} index.
 */
@Tag(name = "Operations: message flows")
@RestController
class FlowTimelineController {

    static final int MAX_MINUTES = 180;
    private static final Pattern WINDOW = Pattern.compile("(\\d{1,4})([mh])");

    private final JdbcClient jdbc;
    private final Clock clock;

    FlowTimelineController(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Operation(operationId = "getFlowTimeline", summary = "Audit entries per minute and event type over the last window",
            description = "Whole minutes from `1m` to `3h` (default `60m`), zero-filled, each type grouped as "
                    + "`business`, `platform` (agency.*, ops.*) or `access` (gateway.access, gateway.refused). "
                    + "Operators only.")
    @GetMapping("/api/v1/ops/flows/timeline")
    FlowTimeline timeline(Caller caller, @RequestParam(defaultValue = "60m") String window) {
        caller.requireRole(Role.OPERATOR);
        int buckets = minutes(window);
        Instant now = clock.instant();
        Instant from = FlowTimeline.firstMinute(now, buckets);
        List<FlowTimeline.Count> counts = jdbc.sql("""
                select type, floor(extract(epoch from recorded_at) / 60)::bigint as minute, count(*)
                from audit_entry where recorded_at >= :from and recorded_at < :to
                group by type, minute""")
                .param("from", Timestamp.from(from))
                .param("to", Timestamp.from(from.plus(FlowTimeline.STEP.multipliedBy(buckets))))
                .query((rs, n) -> new FlowTimeline.Count(rs.getString(1), rs.getLong(2), rs.getLong(3)))
                .list();
        return FlowTimeline.of(window.trim(), now, buckets, counts);
    }

    /** Whole minutes, {@code 1m} to {@code 3h}. */
    static int minutes(String window) {
        Matcher m = WINDOW.matcher(window == null ? "" : window.trim());
        if (!m.matches()) {
            throw new InvalidParameterException("window", "must be whole minutes or hours, e.g. 60m or 1h");
        }
        long minutes = Long.parseLong(m.group(1)) * (m.group(2).equals("h") ? 60 : 1);
        if (minutes < 1 || minutes > MAX_MINUTES) {
            throw new InvalidParameterException("window", "must be from 1m to " + MAX_MINUTES / 60 + "h");
        }
        return (int) minutes;
    }
}
