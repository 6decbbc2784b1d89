package cn.chuanyu.casetransfer.inbox;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import cn.chuanyu.contracts.EventEnvelope;
import cn.chuanyu.kit.json.Json;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

@Component
public class Inbox {

    /** First half of the advisory lock key of an agency's feed (any constant unique to this purpose). */
    private static final int APPEND_LOCK_CLASS = 0x4359_4942;

    private final JdbcClient jdbc;
    private final ObjectProvider<InboxListener> listeners;

    Inbox(JdbcClient jdbc, ObjectProvider<InboxListener> listeners) {
        this.jdbc = jdbc;
        this.listeners = listeners;
    }

    /**
     * Adds the event to each agency's inbox and tells the {@link InboxListener}s, in the caller's transaction. The rows
     * are written just before that transaction commits, under a lock on each addressed agency's feed held until
     * the commit: an agency's entries commit in the order of their sequence numbers, so a reader following its
     * feed never sees a later gap fill in. Taking the lock only for the last statements before the commit keeps
     * exchanges addressed to the same agency from queueing behind each other's whole request.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void deliver(EventEnvelope event, List<String> agencies) {
        if (!agencies.isEmpty()) {
            pendingDeliveries().add(new Delivery(event, List.copyOf(agencies)));
        }
    }

    private record Delivery(EventEnvelope event, List<String> agencies) {
    }

    @SuppressWarnings("unchecked")
    private List<Delivery> pendingDeliveries() {
        List<Delivery> pending = (List<Delivery>) TransactionSynchronizationManager.getResource(this);
        if (pending == null) {
            List<Delivery> deliveries = new ArrayList<>();
            TransactionSynchronizationManager.bindResource(this, deliveries);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void beforeCommit(boolean readOnly) {
                    write(deliveries);
                }

                @Override
                public void afterCompletion(int status) {
                    TransactionSynchronizationManager.unbindResourceIfPossible(Inbox.this);
                }
            });
            pending = deliveries;
        }
        return pending;
    }

    private void write(List<Delivery> deliveries) {
        // Locks in a fixed order, so two transactions addressing the same agencies cannot deadlock.
        new TreeSet<>(deliveries.stream().flatMap(d -> d.agencies().stream()).map(String::hashCode).toList())
                .forEach(key -> jdbc.sql("select pg_advisory_xact_lock(:lockClass, :key)")
                        .param("lockClass", APPEND_LOCK_CLASS)
                        .param("key", key)
                        .query((rs, n) -> Boolean.TRUE)
                        .single());
        for (Delivery delivery : deliveries) {
            EventEnvelope event = delivery.event();
            String envelope = Json.write(event);
            for (String agency : delivery.agencies()) {
                long seq = jdbc.sql("""
                        insert into inbox_entry (agency_id, event_id, type, exchange_id, from_agency, to_agency,
                          correlation_id, occurred_at, envelope)
                        values (:agency, :eventId, :type, :exchangeId, :fromAgency, :toAgency, :correlationId,
                          :occurredAt, :envelope)
                        returning seq""")
                        .param("agency", agency)
                        .param("eventId", event.id())
                        .param("type", event.type())
                        .param("exchangeId", event.subject())
                        .param("fromAgency", event.fromAgency())
                        .param("toAgency", event.toAgency())
                        .param("correlationId", event.correlationId())
                        .param("occurredAt", Timestamp.from(event.time()))
                        .param("envelope", envelope)
                        .query(Long.class)
                        .single();
                InboxItem item = toItem(seq, event);
                listeners.orderedStream().forEach(listener -> listener.entryAppended(agency, item));
            }
        }
    }

    @Transactional(readOnly = true)
    InboxPage read(String agency, long after, int limit) {
        List<InboxItem> items = jdbc.sql("""
                select seq, envelope from inbox_entry where agency_id = :agency and seq > :after
                order by seq limit :limit""")
                .param("agency", agency)
                .param("after", after)
                .param("limit", limit)
                .query((rs, n) -> toItem(rs.getLong(1),
                        Json.read(rs.getString(2).getBytes(StandardCharsets.UTF_8))))
                .list();
        String next = items.isEmpty() ? Long.toString(after) : items.get(items.size() - 1).cursor();
        return new InboxPage(items, next);
    }

    static InboxItem toItem(long seq, EventEnvelope event) {
        return new InboxItem(Long.toString(seq), event.id(), event.type(), event.subject(), event.fromAgency(),
                event.toAgency(), event.time(), event.correlationId(), event.data());
    }
}
