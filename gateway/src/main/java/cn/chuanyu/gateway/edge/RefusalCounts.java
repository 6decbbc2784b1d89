package cn.chuanyu.gateway.edge;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import cn.chuanyu.contracts.EventTypes;
import cn.chuanyu.contracts.GatewayRefusals;
import cn.chuanyu.kit.outbox.Outbox;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Counts the requests without a caller that the gateway refused, per window (a minute) and reason, and appends one
 * {@code gateway.refused} event per window and reason once the window has closed. Anyone can send those requests;
 * one audit entry each would let anyone grow the trail without limit. Counts of a window that could not be written
 * yet are kept and written on the next tick; at shutdown the open window is written too.
 */
@Component
class RefusalCounts implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RefusalCounts.class);

    private record Key(long windowStart, String reason, Integer status) {
    }

    private final Map<Key, LongAdder> counts = new ConcurrentHashMap<>();
    private final Outbox outbox;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final MeterRegistry meters;
    private final long windowMillis;
    private volatile ScheduledExecutorService flusher;

    RefusalCounts(Outbox outbox, TransactionTemplate tx, Clock clock, MeterRegistry meters,
            @Value("${chuanyu.gateway.access-log.refusal-window:1m}") Duration window) {
        this.outbox = outbox;
        this.tx = tx;
        this.clock = clock;
        this.meters = meters;
        this.windowMillis = window.toMillis();
    }

    /** Never blocks: called on the event loop. {@code status} null: the client went away before an answer. */
    void count(Integer status) {
        String reason = reason(status);
        long now = clock.millis();
        counts.computeIfAbsent(new Key(now - Math.floorMod(now, windowMillis), reason, status), k -> new LongAdder())
                .increment();
        Counter.builder("chuanyu.gateway.refused").description("requests without a caller refused, by reason")
                .tag("reason", reason).register(meters).increment();
    }

    static String reason(Integer status) {
        if (status == null) {
            return "no-answer";
        }
        HttpStatus known = HttpStatus.resolve(status);
        return known == null ? "status-" + status : known.getReasonPhrase().toLowerCase().replace(' ', '-');
    }

    /** Writes the counts of every window that closed before {@code now} (every window when {@code all}). */
    void flush(boolean all) {
        long now = clock.millis();
        List<Map.Entry<Key, Long>> closed = new ArrayList<>();
        for (Key key : List.copyOf(counts.keySet())) {
            if (all || key.windowStart() + windowMillis <= now) {
                LongAdder adder = counts.remove(key);
                if (adder != null) {
                    closed.add(Map.entry(key, adder.sum()));
                }
            }
        }
        if (closed.isEmpty()) {
            return;
        }
        try {
            tx.executeWithoutResult(status -> closed.forEach(entry -> {
                Key key = entry.getKey();
                Instant from = Instant.ofEpochMilli(key.windowStart());
                outbox.append(EventTypes.GATEWAY_REFUSED, "refusals-" + from, null, null, new GatewayRefusals(
                        from.toString(), from.plusMillis(windowMillis).toString(), key.reason(), key.status(),
                        entry.getValue()));
            }));
        }
        catch (RuntimeException ex) {
            // Kept for the next tick: a count is small, however long the database is away.
            closed.forEach(entry -> counts.computeIfAbsent(entry.getKey(), k -> new LongAdder()).add(entry.getValue()));
            log.warn("could not append {} refusal counts, retrying: {}", closed.size(), ex.toString());
        }
    }

    @Override
    public void start() {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "refusal-counts");
            thread.setDaemon(true);
            return thread;
        });
        long tick = Math.max(100, Math.min(1_000, windowMillis / 2));
        executor.scheduleWithFixedDelay(() -> flush(false), tick, tick, TimeUnit.MILLISECONDS);
        flusher = executor;
    }

    @Override
    public void stop() {
        ScheduledExecutorService executor = flusher;
        flusher = null;
        if (executor != null) {
            executor.shutdown();
            try {
                executor.awaitTermination(10, TimeUnit.SECONDS);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
        flush(true);
    }

    @Override
    public boolean isRunning() {
        return flusher != null;
    }

    /** Like the access recorder: started before, and stopped after, the web server. */
    @Override
    public int getPhase() {
        return Integer.MIN_VALUE + 1000;
    }
}
