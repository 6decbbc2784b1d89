package cn.chuanyu.casetransfer.inbox;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.util.List;

import cn.chuanyu.casetransfer.webhook.WebhookDeliveries;
import cn.chuanyu.contracts.EventEnvelope;
import cn.chuanyu.kit.outbox.EventJson;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

@Component
public class Inbox {

    /** Key of the advisory lock that orders inbox appends (any constant unique to this purpose). */
    private static final long APPEND_LOCK = 0x4359_494E_424F_5801L;

    private final JdbcClient jdbc;
    private final WebhookDeliveries webhooks;

    Inbox(JdbcClient jdbc, WebhookDeliveries webhooks) {
        this.jdbc = jdbc;
        this.webhooks = webhooks;
    }

    /** Adds the event to each agency's inbox and queues its webhook deliveries, in the caller's transaction. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void deliver(EventEnvelope event, List<String> agencies) {
        if (agencies.isEmpty()) {
            return;
        }
        // Held until commit: appends commit in sequence order, so readers never see a later gap fill in.
        jdbc.sql("select pg_advisory_xact_lock(:key)").param("key", APPEND_LOCK).query(Object.class).single();
        for (String agency : agencies) {
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
                    .param("envelope", EventJson.write(event))
                    .query(Long.class)
                    .single();
            webhooks.enqueue(agency, toItem(seq, event));
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
                        EventJson.read(rs.getString(2).getBytes(StandardCharsets.UTF_8))))
                .list();
        String next = items.isEmpty() ? Long.toString(after) : items.get(items.size() - 1).cursor();
        return new InboxPage(items, next);
    }

    static InboxItem toItem(long seq, EventEnvelope event) {
        return new InboxItem(Long.toString(seq), event.id(), event.type(), event.subject(), event.fromAgency(),
                event.toAgency(), event.time(), event.correlationId(), event.data());
    }
}
