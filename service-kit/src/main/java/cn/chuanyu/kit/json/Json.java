package cn.chuanyu.kit.json;

import java.util.Map;

import cn.chuanyu.contracts.EventEnvelope;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The platform's JSON mapping outside HTTP: event envelopes on the wire and in the outbox, event data as maps,
 * stored payloads. Kept apart from the web layer's mapper (which rejects unknown fields in requests): consumers
 * must tolerate fields added by newer producers.
 */
public final class Json {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private Json() {
    }

    public static String write(EventEnvelope envelope) {
        return MAPPER.writeValueAsString(envelope);
    }

    /** Any value as JSON (maps in their own iteration order: pass sorted maps for canonical bytes). */
    public static String writeValue(Object value) {
        return MAPPER.writeValueAsString(value);
    }

    public static EventEnvelope read(byte[] json) throws JacksonException {
        return MAPPER.readValue(json, EventEnvelope.class);
    }

    /** Turns an event data record into the envelope's generic map. */
    public static Map<String, Object> toMap(Object data) {
        return MAPPER.convertValue(data, new TypeReference<Map<String, Object>>() { });
    }

    public static <T> T fromMap(Map<String, Object> data, Class<T> type) {
        return MAPPER.convertValue(data, type);
    }
}
