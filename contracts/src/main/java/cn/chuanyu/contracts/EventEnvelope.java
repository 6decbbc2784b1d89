package cn.chuanyu.contracts;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * CloudEvents-shaped envelope carried by every message on the bus.
 *
 * @param id            unique event id; consumers deduplicate on it
 * @param source        the service that produced the event, e.g. {@code case-transfer-service}
 * @param type          event type, also the routing key, e.g. {@code case-transfer.submitted}
 * @param subject       id of the exchange (transfer, request, package) the event is about
 * @param time          when the change happened
 * @param correlationId request correlation id, carried from the gateway
 * @param fromAgency    the sending agency of the exchange (may be null for platform events)
 * @param toAgency      the receiving agency of the exchange (may be null for platform events)
 * @param data          event-specific payload
 */
public record EventEnvelope(
        String id,
        String source,
        String type,
        String subject,
        Instant time,
        String correlationId,
        String fromAgency,
        String toAgency,
        Map<String, Object> data) {

    public static final String SPEC_VERSION = "1.0";

    public EventEnvelope {
        requireText(id, "id");
        requireText(source, "source");
        requireText(type, "type");
        requireText(subject, "subject");
        Objects.requireNonNull(time, "time");
        // Values may be null (an optional note, say), which Map.copyOf would refuse.
        data = data == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(data));
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("event " + name + " must not be blank");
        }
    }
}
