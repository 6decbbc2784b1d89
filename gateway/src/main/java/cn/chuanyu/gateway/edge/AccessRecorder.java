package cn.chuanyu.gateway.edge;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import cn.chuanyu.contracts.EventTypes;
import cn.chuanyu.contracts.GatewayAccess;
import cn.chuanyu.contracts.Role;
import cn.chuanyu.kit.outbox.Outbox;
import cn.chuanyu.kit.poll.Backoff;
import cn.chuanyu.kit.poll.BackgroundPoller;
import cn.chuanyu.kit.poll.PollingLifecycle;
import cn.chuanyu.kit.web.Correlation;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Appends access records to the outbox ({@code gateway.access}) from one background writer, many per transaction,
 * so a request never waits for the database. The queue is drained before the application stops: it stops after the
 * web server (lowest lifecycle phase), so requests still in flight at shutdown are recorded too. Only a queue
 * overflow (the database far behind for a long time) loses records, and each loss is counted and logged.
 */
@Component
class AccessRecorder extends PollingLifecycle {

    private static final Logger log = LoggerFactory.getLogger(AccessRecorder.class);
    private static final long DROP_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final Outbox outbox;
    private final TransactionTemplate tx;
    private final BlockingQueue<GatewayAccess> queue;
    private final int batchSize;
    private final Counter dropped;
    private final Counter written;
    private final AtomicLong droppedSinceLog = new AtomicLong();
    private final AtomicLong lastDropLog =
            new AtomicLong(System.nanoTime() - DROP_LOG_INTERVAL_NANOS);
    /** The batch being written; kept across failed passes. Touched by the writer thread only. */
    private final List<GatewayAccess> batch;

    AccessRecorder(Outbox outbox, TransactionTemplate tx, MeterRegistry meters,
            @Value("${chuanyu.gateway.access-log.queue-capacity:100000}") int capacity,
            @Value("${chuanyu.gateway.access-log.batch-size:500}") int batchSize) {
        // No idle wait: the pass itself waits on the queue. At stop it drains the queue, giving up after five
        // failed writes in a row.
        super("access-recorder", new BackgroundPoller.Settings(Duration.ZERO, Duration.ZERO,
                new Backoff(Duration.ofMillis(200), Duration.ofSeconds(5)), true, 5, Duration.ofSeconds(30)));
        this.outbox = outbox;
        this.tx = tx;
        this.queue = new LinkedBlockingQueue<>(capacity);
        this.batchSize = batchSize;
        this.dropped = Counter.builder("chuanyu.gateway.access.dropped")
                .description("access records lost because the writer fell too far behind").register(meters);
        this.written = Counter.builder("chuanyu.gateway.access.written")
                .description("access records appended to the outbox").register(meters);
        Gauge.builder("chuanyu.gateway.access.pending", queue, BlockingQueue::size).register(meters);
        this.batch = new ArrayList<>(batchSize);
    }

    /**
     * Never blocks: called on the event loop. A record the queue cannot take is counted
     * ({@code chuanyu.gateway.access.dropped}, for an alert) and logged, at most one line per ten seconds so that an
     * overload does not also flood the log; each line says how many were lost since the last.
     */
    void record(GatewayAccess access) {
        if (!queue.offer(access)) {
            dropped.increment();
            droppedSinceLog.incrementAndGet();
            long now = System.nanoTime();
            long last = lastDropLog.get();
            if (now - last >= DROP_LOG_INTERVAL_NANOS && lastDropLog.compareAndSet(last, now)) {
                log.error("{} access records dropped since the last report (writer {} records behind; total {}); "
                        + "latest: {} {} {} caller={} correlationId={}", droppedSinceLog.getAndSet(0), queue.size(),
                        (long) dropped.count(), access.method(), access.path(), access.status(), access.caller(),
                        access.correlationId());
            }
        }
    }

    @Override
    public void stop() {
        super.stop();
        if (!queue.isEmpty() || !batch.isEmpty()) {
            log.error("{} access records could not be written before shutdown", queue.size() + batch.size());
        }
    }

    /** Started before, and stopped after, the web server (whose phases are just below the default). */
    @Override
    public int getPhase() {
        return Integer.MIN_VALUE + 1000;
    }

    /** One pass: writes the batch a failed pass left, else waits briefly for records and writes what came. */
    @Override
    protected boolean pass() throws InterruptedException {
        if (batch.isEmpty()) {
            GatewayAccess first = queue.poll(200, TimeUnit.MILLISECONDS);
            if (first == null) {
                return false;
            }
            batch.add(first);
            queue.drainTo(batch, batchSize - 1);
        }
        write(batch);
        written.increment(batch.size());
        batch.clear();
        return true;
    }

    private void write(List<GatewayAccess> batch) {
        tx.executeWithoutResult(status -> {
            try {
                for (GatewayAccess access : batch) {
                    MDC.put(Correlation.MDC_KEY, access.correlationId());
                    String agency = Role.AGENCY.name().equals(access.role()) ? access.caller() : null;
                    // The subject names an exchange; the correlation id is the client's word (it could name someone
                    // else's exchange), so it stays in its own field and the record gets an id of its own.
                    outbox.append(EventTypes.GATEWAY_ACCESS, "access-" + UUID.randomUUID(), agency, null, access);
                }
            }
            finally {
                MDC.remove(Correlation.MDC_KEY);
            }
        });
    }
}
