package cn.chuanyu.casetransfer.inbox;

import java.time.Instant;
import java.util.Map;

/** One event in an agency's inbox; {@code cursor} is what to pass as {@code after} to continue behind it. */
public record InboxItem(
        String cursor,
        String eventId,
        String type,
        String exchangeId,
        String fromAgency,
        String toAgency,
        Instant occurredAt,
        String correlationId,
        Map<String, Object> data) {
}
