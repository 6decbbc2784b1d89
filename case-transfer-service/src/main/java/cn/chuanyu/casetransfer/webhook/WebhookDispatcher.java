package cn.chuanyu.casetransfer.webhook;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Sends due deliveries. Each is claimed with a lease (its next attempt moved past the request timeout) under
 * {@code SKIP LOCKED}, so several instances share the work and a crashed sender's claim simply expires; the HTTP
 * call happens outside any transaction.
 */
@Component
class WebhookDispatcher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);
    private static final int BATCH = 50;

    private final JdbcClient jdbc;
    private final WebhookProperties props;
    private final Clock clock;
    private final HttpClient http;
    private volatile boolean running;
    private Thread worker;

    WebhookDispatcher(JdbcClient jdbc, WebhookProperties props, Clock clock) {
        this.jdbc = jdbc;
        this.props = props;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(props.timeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
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
            HttpRequest request = HttpRequest.newBuilder(URI.create(delivery.url()))
                    .timeout(props.timeout())
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "ChuanyuExchange-Webhook/1")
                    .header("X-Chuanyu-Webhook-Id", delivery.webhookId().toString())
                    .header("X-Chuanyu-Delivery-Id", delivery.id().toString())
                    .header(WebhookSignature.HEADER, WebhookSignature.header(delivery.secret(), timestamp, body))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
            status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status < 200 || status >= 300) {
                error = "receiver answered " + status;
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            error = "interrupted";
        }
        catch (Exception ex) {
            error = ex.getClass().getSimpleName() + (ex.getMessage() == null ? "" : ": " + ex.getMessage());
        }
        record(delivery, status, error);
    }

    private void record(Claimed delivery, Integer status, String error) {
        int attempts = delivery.attempts() + 1;
        if (error == null) {
            jdbc.sql("""
                    update webhook_delivery set state = 'DELIVERED', attempts = :attempts, last_status = :status,
                      last_error = null, delivered_at = now() where id = :id""")
                    .param("attempts", attempts)
                    .param("status", status)
                    .param("id", delivery.id())
                    .update();
            return;
        }
        boolean exhausted = attempts >= props.maxAttempts();
        Duration backoff = props.initialBackoff().multipliedBy(1L << Math.min(attempts - 1, 20));
        if (backoff.compareTo(props.maxBackoff()) > 0) {
            backoff = props.maxBackoff();
        }
        log.warn("webhook delivery {} attempt {} failed: {}{}", delivery.id(), attempts, error,
                exhausted ? " (giving up)" : "; next try in " + backoff.toMillis() + " ms");
        jdbc.sql("""
                update webhook_delivery set state = :state, attempts = :attempts, last_status = :status,
                  last_error = :error, next_attempt_at = :next where id = :id""")
                .param("state", exhausted ? "FAILED" : "PENDING")
                .param("attempts", attempts)
                .param("status", status)
                .param("error", error.length() > 500 ? error.substring(0, 500) : error)
                .param("next", Timestamp.from(clock.instant().plus(backoff)))
                .param("id", delivery.id())
                .update();
    }

    private void loop() {
        while (running) {
            int sent = 0;
            try {
                sent = dispatchOnce();
            }
            catch (RuntimeException ex) {
                log.warn("webhook dispatch pass failed: {}", ex.getMessage());
            }
            if (sent < BATCH) {
                try {
                    Thread.sleep(props.pollInterval().toMillis());
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    @Override
    public void start() {
        running = true;
        worker = new Thread(this::loop, "webhook-dispatcher");
        worker.setDaemon(true);
        worker.start();
    }

    @Override
    public void stop() {
        running = false;
        if (worker != null) {
            worker.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private record Claimed(UUID id, int attempts, String payload, String url, String secret, UUID webhookId) {
    }
}
