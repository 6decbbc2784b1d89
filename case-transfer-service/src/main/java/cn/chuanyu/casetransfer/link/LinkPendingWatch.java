package cn.chuanyu.casetransfer.link;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import cn.chuanyu.kit.poll.BackgroundPoller;
import cn.chuanyu.kit.poll.PollingLifecycle;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.stereotype.Component;

/**
 * Watches the events held out of order ({@link HeldLinkEvents}): an exchange whose earlier event never arrives (lost
 * on the peer, dead-lettered there, a bug) would otherwise wait silently. Every scan refreshes
 * {@code chuanyu_link_pending_held} and {@code chuanyu_link_pending_oldest_age_seconds}; an exchange holding an
 * event for longer than {@code chuanyu.link.pending-alert-after} raises one {@code ALERT} WARN line and
 * {@code chuanyu_link_pending_alerts_total}, once per exchange and missing seq (claimed in the database, so once
 * among instances too), not at every scan.
 */
@Component
@ConditionalOnExpression(LinkInConfiguration.TWO_REGIONS)
class LinkPendingWatch extends PollingLifecycle {

    private static final Logger log = LoggerFactory.getLogger(LinkPendingWatch.class);
    private static final int BATCH = 100;

    private final HeldLinkEvents held;
    private final Clock clock;
    private final Counter alerts;
    private final AtomicReference<HeldLinkEvents.Summary> last = new AtomicReference<>();

    LinkPendingWatch(HeldLinkEvents held, Clock clock, MeterRegistry meters,
            @Value("${chuanyu.link.pending-scan-interval:PT30S}") Duration scanInterval) {
        super("link-pending-watch",
                BackgroundPoller.Settings.polling(scanInterval, Duration.ofMinutes(5), Duration.ofSeconds(5)));
        this.held = held;
        this.clock = clock;
        Gauge.builder("chuanyu.link.pending.held", last, r -> r.get() == null ? Double.NaN : r.get().held())
                .description("Events of the peer node held until an earlier one of their exchange arrives")
                .register(meters);
        Gauge.builder("chuanyu.link.pending.oldest.age", last, r -> r.get() == null ? Double.NaN
                : r.get().oldest() == null ? 0 : Math.max(0, Duration.between(r.get().oldest(), clock.instant())
                        .toSeconds())).baseUnit("seconds")
                .description("How long the oldest event held out of order has waited").register(meters);
        this.alerts = Counter.builder("chuanyu.link.pending.alerts")
                .description("Exchanges whose link events were held out of order past the alert threshold")
                .register(meters);
    }

    /** @return whether more alerts may be due than one batch raised */
    boolean scan() {
        last.set(held.summary());
        Instant now = clock.instant();
        var due = held.unalertedSince(now.minus(held.alertAfter()), BATCH, now);
        for (HeldLinkEvents.Held exchange : due) {
            if (held.claimAlert(exchange.exchangeId(), exchange.waitingForSeq())) {
                log.warn("ALERT link events of exchange {} from {} held out of order for {} s (threshold {} s): seqs "
                        + "{} ({}) wait for seq {}, which has not arrived; see GET /api/v1/ops/link-pending",
                        exchange.exchangeId(), exchange.senderNode(), exchange.ageSeconds(),
                        held.alertAfter().toSeconds(), exchange.heldSeqs(), String.join(", ", exchange.heldTypes()),
                        exchange.waitingForSeq());
                alerts.increment();
            }
        }
        return due.size() == BATCH;
    }

    @Override
    protected boolean pass() {
        return scan();
    }
}
