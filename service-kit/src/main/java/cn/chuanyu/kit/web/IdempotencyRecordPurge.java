package cn.chuanyu.kit.web;

import java.time.Duration;

import cn.chuanyu.kit.poll.BackgroundPoller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Deletes idempotency records older than the TTL every purge interval, on the kit's one background loop. The filter
 * already ignores them; this keeps the table (and the responses it holds) from growing for ever. A failed purge
 * only delays the deletion: the poller backs off and logs it.
 */
public class IdempotencyRecordPurge implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(IdempotencyRecordPurge.class);

    private final JdbcClient jdbc;
    private final IdempotencyProperties props;
    private final BackgroundPoller poller;

    public IdempotencyRecordPurge(JdbcClient jdbc, IdempotencyProperties props) {
        this.jdbc = jdbc;
        this.props = props;
        this.poller = new BackgroundPoller("idempotency-purge", BackgroundPoller.Settings.polling(
                props.purgeInterval(), props.purgeInterval(), Duration.ofSeconds(5)), () -> {
                    int deleted = purgeExpired();
                    if (deleted > 0) {
                        log.debug("deleted {} expired idempotency records", deleted);
                    }
                    return false;   // one delete takes them all: wait the interval
                });
    }

    /** @return how many expired records were deleted */
    public int purgeExpired() {
        return jdbc.sql("delete from idempotency_record where created_at <= now() - :ttlMillis * interval '1 millisecond'")
                .param("ttlMillis", props.ttl().toMillis())
                .update();
    }

    @Override
    public void start() {
        poller.start();
    }

    @Override
    public void stop() {
        poller.stop();
    }

    @Override
    public boolean isRunning() {
        return poller.isRunning();
    }
}
