package cn.chuanyu.kit.web;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Deletes idempotency records older than the TTL every purge interval. The filter already ignores them; this keeps
 * the table (and the responses it holds) from growing for ever.
 */
public class IdempotencyRecordPurge implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(IdempotencyRecordPurge.class);

    private final JdbcClient jdbc;
    private final IdempotencyProperties props;
    private ScheduledExecutorService scheduler;

    public IdempotencyRecordPurge(JdbcClient jdbc, IdempotencyProperties props) {
        this.jdbc = jdbc;
        this.props = props;
    }

    /** @return how many expired records were deleted */
    public int purgeExpired() {
        return jdbc.sql("delete from idempotency_record where created_at <= now() - :ttlMillis * interval '1 millisecond'")
                .param("ttlMillis", props.ttl().toMillis())
                .update();
    }

    @Override
    public synchronized void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "idempotency-purge");
            thread.setDaemon(true);
            return thread;
        });
        long every = props.purgeInterval().toMillis();
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                int deleted = purgeExpired();
                if (deleted > 0) {
                    log.debug("deleted {} expired idempotency records", deleted);
                }
            }
            catch (RuntimeException ex) {
                // The next round tries again; a failed purge only delays the deletion.
                log.warn("purging expired idempotency records failed: {}", ex.toString());
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return scheduler != null;
    }
}
