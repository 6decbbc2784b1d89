package cn.chuanyu.kit.consumer;

import java.util.function.Consumer;

import cn.chuanyu.contracts.EventEnvelope;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Applies an event's effect at most once per consumer: the (consumer, event id) row is written in the same
 * transaction as the effect, so a redelivered event finds it and is skipped. Call it from a listener whose
 * container acknowledges after the listener returns, i.e. after this transaction committed.
 */
public class IdempotentConsumer {

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;

    public IdempotentConsumer(JdbcClient jdbc, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.tx = tx;
    }

    /**
     * @return true if the effect ran, false if this consumer had already processed the event
     */
    public boolean handleOnce(String consumer, EventEnvelope event, Consumer<EventEnvelope> effect) {
        Boolean applied = tx.execute(status -> {
            int inserted = jdbc.sql("""
                    insert into processed_event (consumer, event_id) values (:consumer, :eventId)
                    on conflict do nothing""")
                    .param("consumer", consumer)
                    .param("eventId", event.id())
                    .update();
            if (inserted == 0) {
                return false;
            }
            effect.accept(event);
            return true;
        });
        return Boolean.TRUE.equals(applied);
    }
}
