package cn.chuanyu.casetransfer.webhook;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import cn.chuanyu.kit.poll.Backoff;
import cn.chuanyu.kit.poll.BackgroundPoller;
import cn.chuanyu.kit.poll.PollingLifecycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Sends due deliveries. Each is claimed with a lease (its next attempt moved past the request timeout) under
 * {@code SKIP LOCKED}, so several instances share the work and a crashed sender's claim simply expires; the HTTP
 * call happens outside any transaction.
 */
@Component
class WebhookDispatcher extends PollingLifecycle {

    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);
    private static final int BATCH = 50;

    /** The only failure reason an agency is shown. */
    static final String AGENCY_ERROR = "delivery failed";

    private final JdbcClient jdbc;
    private final WebhookProperties props;
    private final Clock clock;
    private final WebhookHttpClient http;
    private final Backoff deliveryBackoff;

    WebhookDispatcher(JdbcClient jdbc, WebhookProperties props, Clock clock, WebhookHttpClient http) {
        // At stop a send in flight ends and records its outcome (up to the request timeout).
        super("webhook-dispatcher", BackgroundPoller.Settings.polling(props.pollInterval(), props.maxBackoff(),
                props.timeout().plusSeconds(1)));
        this.jdbc = jdbc;
        this.props = props;
        this.clock = clock;
        this.http = http;
        this.deliveryBackoff = new Backoff(min(props.initialBackoff(), props.maxBackoff()), props.maxBackoff());
    }

    @Override
    protected boolean pass() {
        return dispatchOnce() >= BATCH;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** Sends one batch of due deliveries; returns how many were attempted. */
    int dispatchOnce() {
        long leaseSeconds = props.timeout().multipliedBy(3).toSeconds() + 1;
        // A suspended agency's deliveries are not claimed: they stay pending, attempts untouched, and go out in the
        // order they fell due once it is reactivated (UPDATE ... RETURNING has no order of its own, hence the sort).
        List<Claimed> due = jdbc.sql("""
                with due as (
                  select id, next_attempt_at as due_at, created_at from webhook_delivery
                  where state = 'PENDING' and next_attempt_at <= now()
                    and not exists (select 1 from agency a where a.id = agency_id and a.state = 'SUSPENDED')
                  order by next_attempt_at, created_at limit :batch for update skip locked),
                claimed as (
                  update webhook_delivery d set next_attempt_at = now() + make_interval(secs => :lease)
                  from webhook w, due
                  where d.webhook_id = w.id and d.id = due.id
                  returning d.id, d.attempts, d.payload, w.url, w.secret, w.id as webhook_id, due.due_at,
                    due.created_at)
                select id, attempts, payload, url, secret, webhook_id from claimed order by due_at, created_at""")
                .param("lease", leaseSeconds)
                .param("batch", BATCH)
                .query((rs, n) -> new Claimed(rs.getObject(1, UUID.class), rs.getInt(2), rs.getString(3),
                        rs.getString(4), rs.getString(5), rs.getObject(6, UUID.class)))
                .list();
        due.forEach(this::send);
        return due.size();
    }

    private void send(Claimed delivery) {
        byte[] body = delivery.payload().getBytes(StandardCharsets.UTF_8);
        long timestamp = clock.instant().getEpochSecond();
        Integer status = null;
        String error = null;
        try {
            status = http.post(URI.create(delivery.url()), Map.of(
                    "User-Agent", "ChuanyuExchange-Webhook/1",
                    "X-Chuanyu-Webhook-Id", delivery.webhookId().toString(),
                    "X-Chuanyu-Delivery-Id", delivery.id().toString(),
                    WebhookSignature.HEADER, WebhookSignature.header(delivery.secret(), timestamp, body)), body);
            if (status < 200 || status >= 300) {
                error = "receiver answered " + status;
            }
        }
        catch (Exception ex) {
            error = describe(ex);
        }
        record(delivery, status, error);
    }

    /** What went wrong, for operators: the refusal (address and range) or the exception chain. */
    private static String describe(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof RefusedTargetException) {
                return t.getMessage();
            }
        }
        return ex.getClass().getSimpleName() + (ex.getMessage() == null ? "" : ": " + ex.getMessage());
    }

    /**
     * Records the attempt. The agency sees only {@link #AGENCY_ERROR} and the status its receiver answered: which
     * addresses were refused, or whether a connection was refused or timed out, would map the platform's network
     * for it. Operators and the log get the detail.
     */
    private void record(Claimed delivery, Integer status, String error) {
        int attempts = delivery.attempts() + 1;
        if (error == null) {
            jdbc.sql("""
                    update webhook_delivery set state = 'DELIVERED', attempts = :attempts, last_status = :status,
                      last_error = null, last_error_detail = null, delivered_at = now() where id = :id""")
                    .param("attempts", attempts)
                    .param("status", status)
                    .param("id", delivery.id())
                    .update();
            return;
        }
        boolean exhausted = attempts >= props.maxAttempts();
        Duration backoff = deliveryBackoff.after(attempts);
        log.warn("webhook delivery {} attempt {} failed: {}{}", delivery.id(), attempts, error,
                exhausted ? " (giving up)" : "; next try in " + backoff.toMillis() + " ms");
        jdbc.sql("""
                update webhook_delivery set state = :state, attempts = :attempts, last_status = :status,
                  last_error = :error, last_error_detail = :detail, next_attempt_at = :next where id = :id""")
                .param("state", exhausted ? "FAILED" : "PENDING")
                .param("attempts", attempts)
                .param("status", status)
                .param("error", AGENCY_ERROR)
                .param("detail", error.length() > 500 ? error.substring(0, 500) : error)
                .param("next", Timestamp.from(clock.instant().plus(backoff)))
                .param("id", delivery.id())
                .update();
    }

    private record Claimed(UUID id, int attempts, String payload, String url, String secret, UUID webhookId) {
    }
}
