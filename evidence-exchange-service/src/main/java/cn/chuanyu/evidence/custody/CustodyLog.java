package cn.chuanyu.evidence.custody;

import java.sql.Timestamp;
import java.util.List;
import java.util.UUID;

import cn.chuanyu.contracts.EventEnvelope;
import cn.chuanyu.kit.outbox.LinkRoute;
import cn.chuanyu.kit.outbox.Outbox;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

@Component
public class CustodyLog {

    private final Outbox outbox;
    private final JdbcClient jdbc;
    private final JsonMapper json;

    CustodyLog(Outbox outbox, JdbcClient jdbc, JsonMapper json) {
        this.outbox = outbox;
        this.jdbc = jdbc;
        this.json = json;
    }

    /** Records a custody event; must run inside the transaction of the action it records. */
    public EventEnvelope record(UUID packageId, String fromAgency, String toAgency, String type, String actor,
            Object data) {
        return record(packageId, fromAgency, toAgency, type, actor, data, null);
    }

    /** As {@link #record}; the event also crosses to the peer region's node when {@code route} is given. */
    public EventEnvelope record(UUID packageId, String fromAgency, String toAgency, String type, String actor,
            Object data, LinkRoute route) {
        EventEnvelope event = outbox.append(type, packageId.toString(), fromAgency, toAgency, data, route);
        jdbc.sql("""
                insert into custody_event (event_id, package_id, type, actor, occurred_at, data)
                values (:eventId, :packageId, :type, :actor, :at, :data)""")
                .param("eventId", UUID.fromString(event.id()))
                .param("packageId", packageId)
                .param("type", type)
                .param("actor", actor)
                .param("at", Timestamp.from(event.time()))
                .param("data", json.writeValueAsString(event.data()))
                .update();
        return event;
    }

    /** Events of a package in the order they happened, after {@code afterSeq}. */
    public List<CustodyEntry> list(UUID packageId, long afterSeq, int limit) {
        return jdbc.sql("""
                select seq, event_id, type, actor, occurred_at, data from custody_event
                where package_id = :packageId and seq > :after order by seq limit :limit""")
                .param("packageId", packageId)
                .param("after", afterSeq)
                .param("limit", limit)
                .query((rs, n) -> new CustodyEntry(rs.getLong("seq"), rs.getObject("event_id", UUID.class),
                        rs.getString("type"), rs.getString("actor"), rs.getTimestamp("occurred_at").toInstant(),
                        json.readTree(rs.getString("data"))))
                .list();
    }
}
