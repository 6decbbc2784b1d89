package cn.chuanyu.audit.ops;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import cn.chuanyu.contracts.Role;
import cn.chuanyu.kit.consumer.ConsumerQueues;
import cn.chuanyu.kit.identity.Caller;
import cn.chuanyu.kit.web.InvalidParameterException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.QueueInformation;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Message flow over a window: events published per type (every event reaches the audit trail, so its entries by
 * type are the published counts), and per consumer queue its depth and consumers (AMQP passive declare, no
 * management plugin needed), messages waiting in its retry queues, its dead-letter queue's depth, and what was
 * dead-lettered and replayed in the window (the keeper's table).
 */
@Tag(name = "Operations: message flows", description = "Events, queues, retries and dead letters at a "
        + "glance (operators)")
@RestController
class FlowsController {

    private static final Pattern WINDOW = Pattern.compile("(\\d{1,5})([smh])");
    private static final Duration MIN = Duration.ofMinutes(1);
    private static final Duration MAX = Duration.ofHours(24);

    private final JdbcClient jdbc;
    private final AmqpAdmin admin;
    private final DeadLetterStore store;
    private final OpsConfiguration.OpsQueues queues;
    private final Clock clock;

    FlowsController(JdbcClient jdbc, AmqpAdmin admin, DeadLetterStore store, OpsConfiguration.OpsQueues queues,
            Clock clock) {
        this.jdbc = jdbc;
        this.admin = admin;
        this.store = store;
        this.queues = queues;
        this.clock = clock;
    }

    record EventTypeFlow(String type, long published, double ratePerSecond) {
    }

    record QueueFlow(String name, Long messages, Integer consumers, Long deadLetterQueueDepth, Long retrying,
            long deadLettered, long replayed) {
    }

    record Flows(String window, Instant generatedAt, List<EventTypeFlow> eventTypes, List<QueueFlow> queues) {
    }

    @Operation(operationId = "getMessageFlows", summary = "Events per type and the state of every queue over a window",
            description = "Events published per type, and per consumer queue its depth, consumers, messages waiting in "
                    + "its retry queues, its dead-letter queue's depth, and what was dead-lettered and replayed within "
                    + "`window` (1m to 24h, e.g. 5m, 2h). Operators only.")
    @GetMapping("/api/v1/ops/flows")
    Flows flows(Caller caller, @RequestParam(defaultValue = "5m") String window) {
        caller.requireRole(Role.OPERATOR);
        Duration length = window(window);
        Instant now = clock.instant();
        Instant since = now.minus(length);
        double seconds = length.toSeconds();
        List<EventTypeFlow> types = jdbc.sql("""
                select type, count(*) from audit_entry where recorded_at >= :since
                group by type order by count(*) desc, type""")
                .param("since", Timestamp.from(since))
                .query((rs, n) -> new EventTypeFlow(rs.getString(1), rs.getLong(2),
                        Math.round(rs.getLong(2) / seconds * 1000.0) / 1000.0))
                .list();
        Map<String, long[]> counts = store.countsSince(since);
        List<QueueFlow> flows = new ArrayList<>();
        for (String queue : queues.names()) {
            QueueInformation info = admin.getQueueInfo(queue);
            QueueInformation dlq = admin.getQueueInfo(ConsumerQueues.deadLetterQueueName(queue));
            long retrying = 0;
            for (int round = 1; round <= ConsumerQueues.RETRY_DELAYS.size(); round++) {
                QueueInformation retry = admin.getQueueInfo(ConsumerQueues.retryQueueName(queue, round));
                retrying += retry == null ? 0 : retry.getMessageCount();
            }
            long[] c = counts.getOrDefault(queue, new long[2]);
            flows.add(new QueueFlow(queue, info == null ? null : (long) info.getMessageCount(),
                    info == null ? null : info.getConsumerCount(), dlq == null ? null : (long) dlq.getMessageCount(),
                    retrying, c[0], c[1]));
        }
        return new Flows(window, now, types, flows);
    }

    static Duration window(String text) {
        Matcher m = WINDOW.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            throw new InvalidParameterException("window", "must be a number and a unit s, m or h, from 1m to 24h");
        }
        long amount = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
        };
        if (d.compareTo(MIN) < 0 || d.compareTo(MAX) > 0) {
            throw new InvalidParameterException("window", "must be from 1m to 24h");
        }
        return d;
    }
}
