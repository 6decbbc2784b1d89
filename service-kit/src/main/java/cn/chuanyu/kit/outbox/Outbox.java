package cn.chuanyu.kit.outbox;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import cn.chuanyu.contracts.EventEnvelope;
import cn.chuanyu.kit.json.Json;
import cn.chuanyu.contracts.Messaging;
import cn.chuanyu.kit.web.Correlation;
import org.slf4j.MDC;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Appends events to the transactional outbox. The row commits or rolls back with the business change that caused
 * it; the {@link OutboxRelay} publishes it afterwards.
 */
public class Outbox {

    private final JdbcClient jdbc;
    private final String source;
    private final Clock clock;
    private final Runnable afterCommit;

    public Outbox(JdbcClient jdbc, String source, Clock clock, Runnable afterCommit) {
        this.jdbc = jdbc;
        this.source = source;
        this.clock = clock;
        this.afterCommit = afterCommit;
    }

    /**
     * Records an event in the current transaction.
     *
     * @throws IllegalStateException when called outside a transaction: the event could then commit without the
     *                               change, or the change without the event
     */
    public EventEnvelope append(String type, String subject, String fromAgency, String toAgency, Object data) {
        return append(type, subject, fromAgency, toAgency, data, null);
    }

    /**
     * Records an event in the current transaction that also crosses to the peer region's node when {@code route}
     * is given (the relay sends it with the {@link Messaging#HEADER_LINK_TO} and {@link Messaging#HEADER_LINK_SEQ}
     * headers, which the broker's link binding selects on).
     */
    public EventEnvelope append(String type, String subject, String fromAgency, String toAgency, Object data,
            LinkRoute route) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("Outbox.append must run inside the transaction of the change");
        }
        // Microsecond precision: what PostgreSQL keeps, so the envelope reads back identical.
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        EventEnvelope envelope = new EventEnvelope(UUID.randomUUID().toString(), source, type, subject, now,
                MDC.get(Correlation.MDC_KEY), fromAgency, toAgency, Json.toMap(data));
        jdbc.sql("""
                insert into outbox_event (event_id, exchange, routing_key, payload, created_at, link_to, link_seq)
                values (:id, :exchange, :routingKey, :payload, :createdAt, :linkTo, :linkSeq)""")
                .param("id", UUID.fromString(envelope.id()))
                .param("exchange", Messaging.EVENTS_EXCHANGE)
                .param("routingKey", type)
                .param("payload", Json.write(envelope))
                .param("createdAt", java.sql.Timestamp.from(now))
                .param("linkTo", route == null ? null : route.peerRegion())
                .param("linkSeq", route == null ? null : route.exchangeSeq())
                .update();
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                afterCommit.run();
            }
        });
        return envelope;
    }
}
