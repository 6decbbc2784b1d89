package cn.chuanyu.kit.outbox;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;

import cn.chuanyu.contracts.Messaging;
import cn.chuanyu.kit.messaging.ConfirmedPublisher;
import cn.chuanyu.kit.messaging.ConfirmedPublisher.Outcome;
import cn.chuanyu.kit.messaging.ConfirmedPublisher.Outgoing;
import cn.chuanyu.kit.poll.Backoff;
import cn.chuanyu.kit.poll.BackgroundPoller;
import cn.chuanyu.kit.poll.PollingLifecycle;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Publishes outbox rows to RabbitMQ and marks a row sent only after the broker confirmed it and did not return it
 * as unroutable. A failed publish keeps the row, counts the attempt and backs off; rows survive restarts.
 * <p>
 * Order: each pass publishes its batch in producer sequence order on one channel ({@link ConfirmedPublisher}), and
 * passes of one producer run one at a time, also across instances of the service (a transaction-scoped advisory
 * lock), so the producer's events reach each queue in the order they were numbered, which follows commit order.
 * The exception is a row whose publish failed: it is re-sent after its back-off, behind rows numbered after it.
 * <p>
 * Before its first publish every row gets the producer's next sequence number (gapless per database: the
 * {@code producer_counter} row is locked while numbering), sent as the {@link Messaging#HEADER_PRODUCER} and
 * {@link Messaging#HEADER_PRODUCER_SEQ} headers, so the audit trail can detect an event that never arrived.
 */
public class OutboxRelay extends PollingLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    /**
     * The due rows of a pass, in producer order. Sent rows stay in the table; the partial index
     * {@code outbox_event_unsent_by_producer_seq} (kit V6) holds only the unsent ones, so a pass reads those and not
     * every row ever sent.
     */
    static final String DUE_ROWS = """
            select event_id, exchange, routing_key, payload, attempts, producer_seq, link_to, link_seq, created_at
            from outbox_event
            where sent_at is null and next_attempt_at <= clock_timestamp() and producer_seq is not null
            order by producer_seq limit :limit for update skip locked""";

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final ConfirmedPublisher publisher;
    private final OutboxProperties props;
    private final String producer;
    private final Counter published;
    private final Counter failed;
    private final Backoff rowBackoff;

    /** Counts confirmed publishes ({@code chuanyu.outbox.published}) and failed ones ({@code .failed}). */
    public OutboxRelay(JdbcClient jdbc, TransactionTemplate tx, ConfirmedPublisher publisher,
            OutboxProperties props, String producer, MeterRegistry meters) {
        // A failed pass (database down) backs off from the poll interval up to the rows' own back-off ceiling.
        super("outbox-relay", BackgroundPoller.Settings.polling(props.pollInterval(), props.maxBackoff(),
                props.confirmTimeout().plusSeconds(5)).withLinger(props.linger()));
        this.jdbc = jdbc;
        this.tx = tx;
        this.props = props;
        this.producer = producer;
        this.publisher = publisher;
        this.published = Counter.builder("chuanyu.outbox.published")
                .description("outbox rows published and confirmed by the broker").register(meters);
        this.failed = Counter.builder("chuanyu.outbox.publish.failed")
                .description("outbox publish attempts that failed (refused, unroutable, no confirm)").register(meters);
        // A row's waits after failed publishes: 0.5 s, 1 s, 2 s, ... up to maxBackoff.
        Duration firstRowBackoff = Duration.ofMillis(500);
        this.rowBackoff = new Backoff(firstRowBackoff.compareTo(props.maxBackoff()) > 0 ? props.maxBackoff()
                : firstRowBackoff, props.maxBackoff());
    }

    @Override
    protected boolean pass() {
        return relayOnce() >= props.batchSize();
    }

    /**
     * Numbers new rows, then publishes one batch of due rows.
     *
     * @return how many rows were attempted
     */
    public int relayOnce() {
        numberNewRows();
        Integer attempted = tx.execute(status -> {
            // One pass at a time per producer, across instances too: two passes publishing side by side would
            // interleave their batches on the queue. Released at commit; a waiting instance runs its pass next.
            jdbc.sql("select pg_advisory_xact_lock(hashtext(:key))")
                    .param("key", "chuanyu.outbox.relay:" + producer)
                    .query()
                    .listOfRows();
            // clock_timestamp(), not now(): now() is when this transaction began, before it waited for the lock;
            // rows numbered meanwhile, written by transactions that began later, would not yet count as due while
            // rows numbered after them would. SKIP LOCKED keeps a relay without the lock (mid-upgrade) off them.
            List<PendingRow> rows = jdbc.sql(DUE_ROWS)
                    .param("limit", props.batchSize())
                    .query((rs, n) -> new PendingRow(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                            rs.getString(4), rs.getInt(5), rs.getLong(6), rs.getString(7),
                            rs.getObject(8, Long.class), rs.getTimestamp(9).toInstant()))
                    .list();
            if (rows.isEmpty()) {
                return 0;
            }
            List<Outcome> outcomes = publisher.publishInOrder(
                    rows.stream().map(row -> new Outgoing(row.exchange(), row.routingKey(), toMessage(row))).toList(),
                    props.confirmTimeout());
            // A row is sent when the broker confirmed a routed copy, even if an earlier row of the batch failed:
            // it is already on the queue ahead of the failed row's re-send, and sending it again would add a copy,
            // not undo that. The failed row backs off and arrives late, with its producer sequence number.
            List<UUID> sent = new ArrayList<>();
            for (int i = 0; i < rows.size(); i++) {
                PendingRow row = rows.get(i);
                Outcome outcome = outcomes.get(i);
                if (outcome.sent()) {
                    sent.add(row.eventId());
                }
                else {
                    failed.increment();
                    markFailed(row, outcome.failure());
                }
            }
            if (!sent.isEmpty()) {
                jdbc.sql("update outbox_event set sent_at = now(), last_error = null where event_id in (:ids)")
                        .param("ids", sent)
                        .update();
                published.increment(sent.size());
            }
            return rows.size();
        });
        return attempted == null ? 0 : attempted;
    }

    /**
     * Gives rows that have never been numbered the producer's next sequence numbers, in outbox order, in a short
     * transaction of its own: the counter row's lock is held only for this, not while publishes await confirms.
     * The numbers and the counter commit together, so a number is never lost or used twice.
     *
     * @return how many rows were numbered
     */
    int numberNewRows() {
        Integer numbered = tx.execute(status -> {
            boolean any = jdbc.sql("""
                    select exists (select 1 from outbox_event where sent_at is null and producer_seq is null)""")
                    .query(Boolean.class)
                    .single();
            if (!any) {
                return 0;
            }
            // The counter row is locked before the rows are read: numbering runs one at a time, each taking every
            // row committed so far in outbox order. Claiming rows first (SKIP LOCKED) let two instances number side
            // by side, and the one with the later rows could win the counter and give them the lower numbers.
            Long locked = lockCounter();
            if (locked == null) {
                jdbc.sql("insert into producer_counter (source, last_seq) values (:source, 0) on conflict do nothing")
                        .param("source", producer)
                        .update();
                locked = lockCounter();
            }
            long last = locked;
            List<Long> rows = jdbc.sql("""
                    select seq from outbox_event where sent_at is null and producer_seq is null
                    order by seq limit :limit""")
                    .param("limit", props.batchSize())
                    .query(Long.class)
                    .list();
            if (rows.isEmpty()) {
                return 0;
            }
            jdbc.sql("""
                    update outbox_event o set producer_seq = :last + r.rn
                    from (select seq, row_number() over (order by seq) as rn from outbox_event
                          where seq in (:rows)) r
                    where o.seq = r.seq""")
                    .param("last", last)
                    .param("rows", rows)
                    .update();
            jdbc.sql("update producer_counter set last_seq = :last where source = :source")
                    .param("last", last + rows.size())
                    .param("source", producer)
                    .update();
            return rows.size();
        });
        return numbered == null ? 0 : numbered;
    }

    private Long lockCounter() {
        return jdbc.sql("select last_seq from producer_counter where source = :source for update")
                .param("source", producer)
                .query(Long.class)
                .optional()
                .orElse(null);
    }

    private void markFailed(PendingRow row, String reason) {
        int attempts = row.attempts() + 1;
        long backoffMs = rowBackoff.after(attempts).toMillis();
        log.warn("outbox publish of event {} ({}) failed on attempt {}: {}; next try in {} ms",
                row.eventId(), row.routingKey(), attempts, reason, backoffMs);
        jdbc.sql("""
                update outbox_event set attempts = :attempts, last_error = :reason,
                  next_attempt_at = now() + make_interval(secs => :backoff)
                where event_id = :id""")
                .param("attempts", attempts)
                .param("reason", reason.length() > 500 ? reason.substring(0, 500) : reason)
                .param("backoff", backoffMs / 1000.0)
                .param("id", row.eventId())
                .update();
    }

    private Message toMessage(PendingRow row) {
        MessageProperties properties = new MessageProperties();
        properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
        properties.setContentEncoding(StandardCharsets.UTF_8.name());
        properties.setMessageId(row.eventId().toString());
        properties.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
        // When the event happened (the AMQP timestamp, seconds): the broker's head_message_timestamp of a queue then
        // says how long its oldest message waits, e.g. the link's backlog age while the link is down.
        properties.setTimestamp(Date.from(row.createdAt()));
        properties.setHeader(Messaging.HEADER_EVENT_TYPE, row.routingKey());
        properties.setHeader(Messaging.HEADER_PRODUCER, producer);
        properties.setHeader(Messaging.HEADER_PRODUCER_SEQ, row.producerSeq());
        if (row.linkTo() != null) {
            properties.setHeader(Messaging.HEADER_LINK_TO, row.linkTo());
        }
        if (row.linkSeq() != null) {
            properties.setHeader(Messaging.HEADER_LINK_SEQ, row.linkSeq());
        }
        return new Message(row.payload().getBytes(StandardCharsets.UTF_8), properties);
    }

    @Override
    public void start() {
        if (!props.relayEnabled() || isRunning()) {
            return;
        }
        super.start();
        log.info("outbox relay started (batch {}, poll {})", props.batchSize(), props.pollInterval());
    }

    private record PendingRow(UUID eventId, String exchange, String routingKey, String payload, int attempts,
            long producerSeq, String linkTo, Long linkSeq, Instant createdAt) {
    }
}
