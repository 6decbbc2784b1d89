package cn.chuanyu.casetransfer.webhook;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.UUID;

import cn.chuanyu.casetransfer.inbox.InboxItem;
import cn.chuanyu.casetransfer.inbox.InboxListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** Queues one delivery per active webhook of the agency, in the transaction that wrote the inbox entry. */
@Component
class WebhookDeliveries implements InboxListener {

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Clock clock;

    WebhookDeliveries(JdbcClient jdbc, JsonMapper json, Clock clock) {
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public void entryAppended(String agency, InboxItem item) {
        List<UUID> hooks = jdbc.sql("select id from webhook where agency_id = :agency and deleted_at is null")
                .param("agency", agency)
                .query(UUID.class)
                .list();
        if (hooks.isEmpty()) {
            return;
        }
        String payload = json.writeValueAsString(item);
        Timestamp now = Timestamp.from(clock.instant());
        for (UUID hook : hooks) {
            jdbc.sql("""
                    insert into webhook_delivery (id, webhook_id, agency_id, event_id, event_type, payload, state,
                      next_attempt_at, created_at)
                    values (:id, :hook, :agency, :eventId, :type, :payload, 'PENDING', :now, :now)""")
                    .param("id", UUID.randomUUID())
                    .param("hook", hook)
                    .param("agency", agency)
                    .param("eventId", item.eventId())
                    .param("type", item.type())
                    .param("payload", payload)
                    .param("now", now)
                    .update();
        }
    }
}
