package cn.chuanyu.casetransfer.link;

import java.nio.charset.StandardCharsets;

import cn.chuanyu.contracts.EventEnvelope;
import cn.chuanyu.kit.json.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Applies each exchange's events from the peer node in their {@code cy-link-seq} order: an event that arrives before
 * an earlier one (after a broker restart, a redelivery, the link coming back) waits in {@code link_pending}; when the
 * missing one arrives, it and every waiting successor are applied in the same transaction. The exchange's
 * {@code link_in} row, locked for the transaction, serialises consumers working on the same exchange.
 */
@Component
class LinkOrdering {

    private static final Logger log = LoggerFactory.getLogger(LinkOrdering.class);

    private final JdbcClient jdbc;
    private final LinkApplier applier;

    LinkOrdering(JdbcClient jdbc, LinkApplier applier) {
        this.jdbc = jdbc;
        this.applier = applier;
    }

    /** {@code refused}: why the event is not applied (its place in the order is passed over), or null. */
    @Transactional(propagation = Propagation.MANDATORY)
    void receive(EventEnvelope event, long seq, String refused) {
        String exchange = event.subject();
        jdbc.sql("insert into link_in (exchange_id, applied_seq) values (:id, 0) on conflict do nothing")
                .param("id", exchange)
                .update();
        long applied = jdbc.sql("select applied_seq from link_in where exchange_id = :id for update")
                .param("id", exchange)
                .query(Long.class)
                .single();
        if (seq <= applied) {
            log.info("{} {} (link seq {} of {}) is already applied", event.type(), event.id(), seq, exchange);
            return;
        }
        jdbc.sql("""
                insert into link_pending (exchange_id, seq, event_id, envelope, refused)
                values (:id, :seq, :eventId, :envelope, :refused) on conflict do nothing""")
                .param("id", exchange)
                .param("seq", seq)
                .param("eventId", event.id())
                .param("envelope", refused == null ? Json.write(event) : null)
                .param("refused", refused)
                .update();
        long next = applied + 1;
        while (true) {
            var waiting = jdbc.sql("select envelope, refused from link_pending where exchange_id = :id and seq = :seq")
                    .param("id", exchange)
                    .param("seq", next)
                    .query((rs, n) -> new String[] {rs.getString(1), rs.getString(2)})
                    .optional();
            if (waiting.isEmpty()) {
                break;
            }
            if (waiting.get()[0] != null) {
                applier.apply(Json.read(waiting.get()[0].getBytes(StandardCharsets.UTF_8)));
            }
            else {
                log.warn("link seq {} of {} passed over: {}", next, exchange, waiting.get()[1]);
            }
            jdbc.sql("delete from link_pending where exchange_id = :id and seq = :seq")
                    .param("id", exchange)
                    .param("seq", next)
                    .update();
            next++;
        }
        if (next - 1 > applied) {
            jdbc.sql("update link_in set applied_seq = :seq where exchange_id = :id")
                    .param("seq", next - 1)
                    .param("id", exchange)
                    .update();
        }
        else {
            log.info("{} {} (link seq {} of {}) waits for seq {}", event.type(), event.id(), seq, exchange, next);
        }
    }
}
