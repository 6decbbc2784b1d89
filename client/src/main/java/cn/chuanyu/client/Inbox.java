package cn.chuanyu.client;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;

/** The calling agency's inbox: {@code /api/v1/inbox}, a feed read after a cursor. */
public final class Inbox {

    /** One event addressed to the agency; {@code cursor} is its position, to pass as {@code after}. */
    public record Item(String cursor, String eventId, String type, String exchangeId, String fromAgency,
            String toAgency, Instant occurredAt, String correlationId, JsonNode data) {
    }

    /** nextCursor is always set (also on an empty page): the position to read after next time. */
    public record Batch(List<Item> items, String nextCursor) {
    }

    private final Transport transport;

    Inbox(Transport transport) {
        this.transport = transport;
    }

    /** Items after {@code after} (null: from the start), at most {@code limit} (null: the server's default). */
    public Batch read(String after, Integer limit) {
        Map<String, Object> q = new LinkedHashMap<>();
        q.put("after", after);
        q.put("limit", limit);
        Page<Item> page = Pages.of(transport.json("GET", "api/v1/inbox" + Transport.query(q), null, Map.of()),
                Item.class);
        return new Batch(page.items(), page.nextCursor());
    }

    /** A follower that hands each new item to {@code handler} and keeps its place in {@code store}. */
    public InboxFollower follower(InboxFollower.CursorStore store, InboxFollower.Handler handler) {
        return new InboxFollower(this, store, handler);
    }
}
