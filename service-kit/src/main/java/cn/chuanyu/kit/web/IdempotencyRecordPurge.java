package cn.chuanyu.kit.web;

import java.time.Duration;

import cn.chuanyu.kit.poll.BackgroundPoller;
import cn.chuanyu.kit.poll.PollingLifecycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Deletes idempotency records older than the TTL every purge interval, on the kit's one background loop. The filter
 * already ignores them; this keeps the table (and the responses it holds) from growing for ever. A failed purge
 * only delays the deletion: the poller backs off and logs it.
 */
public class IdempotencyRecordPurge extends PollingLifecycle {

    private static final Logger log = LoggerFactory.getLogger(IdempotencyRecordPurge.class);

    private final JdbcClient jdbc;
    private final IdempotencyProperties props;

    public IdempotencyRecordPurge(JdbcClient jdbc, IdempotencyProperties props) {
        super("idempotency-purge", BackgroundPoller.Settings.polling(props.purgeInterval(), props.purgeInterval(),
                Duration.ofSeconds(5)));
        this.jdbc = jdbc;
        this.props = props;
    }

    @Override
    protected boolean pass() {
        int deleted = purgeExpired();
        if (deleted > 0) {
            log.debug("deleted {} expired idempotency records", deleted);
        }
        return false;   // one delete takes them all: wait the interval
    }

    /** @return how many expired records were deleted */
    public int purgeExpired() {
        return jdbc.sql("delete from idempotency_record where created_at <= now() - :ttlMillis * interval '1 millisecond'")
                .param("ttlMillis", props.ttl().toMillis())
                .update();
    }
}
