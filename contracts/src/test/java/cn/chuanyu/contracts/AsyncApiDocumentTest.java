package cn.chuanyu.contracts;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps {@code docs/asyncapi.json} (AsyncAPI 3.0) and the event records from drifting apart: the document is
 * derived from {@link EventCatalog} and the records' components; a change to either without the other fails here.
 * Regenerate with {@code mvn -pl contracts test -Dtest=AsyncApiDocumentTest -Dasyncapi.write=true}.
 */
class AsyncApiDocumentTest {

    static final Path DOCUMENT = Path.of("..", "docs", "asyncapi.json");
    static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build(); // Map.of order differs per JVM

    @Test
    void everyEventTypeIsCataloguedOnce() {
        assertThat(EventCatalog.ENTRIES).extracting(EventCatalog.Entry::type)
                .containsExactlyInAnyOrderElementsOf(EventTypes.ALL)
                .doesNotHaveDuplicates();
    }

    @Test
    void theCommittedDocumentMatchesTheRecords() throws Exception {
        String expected = JSON.writeValueAsString(document()) + "\n";
        if (Boolean.getBoolean("asyncapi.write")) {
            Files.writeString(DOCUMENT, expected);
        }
        assertThat(Files.exists(DOCUMENT)).as(DOCUMENT + " exists").isTrue();
        assertThat(Files.readString(DOCUMENT))
                .as("docs/asyncapi.json is stale: regenerate it (see this test's javadoc)")
                .isEqualTo(expected);
    }

    static Map<String, Object> document() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("asyncapi", "3.0.0");
        doc.put("info", Map.of("title", "Chuanyu Exchange events", "version", "1.0.0", "description",
                "Every state change on the platform, published through each service's transactional outbox to the "
                        + "durable topic exchange '" + Messaging.EVENTS_EXCHANGE + "' with the event type as routing "
                        + "key, at least once (consumers deduplicate on the envelope id). Headers: "
                        + Messaging.HEADER_EVENT_TYPE + ", " + Messaging.HEADER_PRODUCER + ", "
                        + Messaging.HEADER_PRODUCER_SEQ + " (gapless per producer)."));
        doc.put("defaultContentType", "application/json");
        doc.put("servers", Map.of("rabbitmq", Map.of("host", "localhost:5672", "protocol", "amqp",
                "protocolVersion", "0.9.1")));
        Map<String, Object> channels = new LinkedHashMap<>();
        Map<String, Object> operations = new LinkedHashMap<>();
        Map<String, Object> messages = new LinkedHashMap<>();
        for (EventCatalog.Entry entry : EventCatalog.ENTRIES) {
            String name = messageName(entry.type());
            channels.put(name, Map.of(
                    "address", entry.type(),
                    "messages", Map.of(name, Map.of("$ref", "#/components/messages/" + name)),
                    "bindings", Map.of("amqp", Map.of("is", "routingKey", "exchange", Map.of(
                            "name", Messaging.EVENTS_EXCHANGE, "type", "topic", "durable", true, "autoDelete", false,
                            "vhost", "/")))));
            operations.put("publish-" + name, Map.of("action", "send", "summary", entry.summary(),
                    "channel", Map.of("$ref", "#/channels/" + name),
                    "x-producer", entry.producer()));
            Map<String, Object> message = new LinkedHashMap<>();
            message.put("name", entry.type());
            message.put("title", entry.type());
            message.put("summary", entry.summary());
            message.put("payload", envelopeSchema(entry));
            message.put("examples", List.of(Map.of("name", name, "payload", example(entry))));
            messages.put(name, message);
        }
        doc.put("channels", channels);
        doc.put("operations", operations);
        doc.put("components", Map.of("messages", messages));
        return doc;
    }

    static Map<String, Object> envelopeSchema(EventCatalog.Entry entry) {
        Map<String, Object> properties = new LinkedHashMap<>();
        for (RecordComponent c : EventEnvelope.class.getRecordComponents()) {
            properties.put(c.getName(), c.getName().equals("data") ? schemaOf(entry.data())
                    : c.getName().equals("type") ? Map.of("type", "string", "const", entry.type())
                    : schemaOf(c.getGenericType()));
        }
        return Map.of("type", "object", "required", List.of("id", "source", "type", "subject", "time", "data"),
                "properties", properties);
    }

    static Map<String, Object> schemaOf(Type type) {
        if (type instanceof ParameterizedType p && p.getRawType() == List.class) {
            return Map.of("type", "array", "items", schemaOf(p.getActualTypeArguments()[0]));
        }
        if (type instanceof ParameterizedType p && p.getRawType() == Map.class) {
            return Map.of("type", "object");
        }
        Class<?> c = (Class<?>) type;
        if (c == String.class) {
            return Map.of("type", "string");
        }
        if (c == Instant.class) {
            return Map.of("type", "string", "format", "date-time");
        }
        if (c == int.class || c == long.class || c == Integer.class || c == Long.class) {
            return Map.of("type", "integer");
        }
        if (c == boolean.class || c == Boolean.class) {
            return Map.of("type", "boolean");
        }
        if (c.isEnum()) {
            List<String> values = new ArrayList<>();
            for (Object constant : c.getEnumConstants()) {
                values.add(((Enum<?>) constant).name());
            }
            return Map.of("type", "string", "enum", values);
        }
        if (c.isRecord()) {
            Map<String, Object> properties = new LinkedHashMap<>();
            for (RecordComponent component : c.getRecordComponents()) {
                properties.put(component.getName(), schemaOf(component.getGenericType()));
            }
            return Map.of("type", "object", "x-java-type", c.getSimpleName(), "properties", properties);
        }
        throw new IllegalArgumentException("no schema mapping for " + type + "; extend schemaOf");
    }

    static Map<String, Object> example(EventCatalog.Entry entry) {
        Map<String, Object> example = new LinkedHashMap<>();
        example.put("id", "0b6f3c3e-6f1a-4c52-9d6e-0a1f2b3c4d5e");
        example.put("source", entry.producer());
        example.put("type", entry.type());
        example.put("subject", "4d3c2b1a-0000-4000-8000-00000000abcd");
        example.put("time", "2026-11-26T08:00:00Z");
        example.put("correlationId", "c0ffee00-1234-4abc-8def-0123456789ab");
        example.put("fromAgency", "sc-chengdu-intermediate-court");
        example.put("toAgency", "cq-first-intermediate-court");
        example.put("data", exampleOf(entry.data()));
        return example;
    }

    static Object exampleOf(Type type) {
        if (type instanceof ParameterizedType p && p.getRawType() == List.class) {
            return List.of(exampleOf(p.getActualTypeArguments()[0]));
        }
        if (type instanceof ParameterizedType) {
            return Map.of();
        }
        Class<?> c = (Class<?>) type;
        if (c.isRecord()) {
            Map<String, Object> values = new LinkedHashMap<>();
            for (RecordComponent component : c.getRecordComponents()) {
                values.put(component.getName(), exampleOf(component.getGenericType()));
            }
            return values;
        }
        if (c.isEnum()) {
            return ((Enum<?>) c.getEnumConstants()[0]).name();
        }
        if (c == int.class || c == long.class || c == Integer.class || c == Long.class) {
            return 1;
        }
        if (c == boolean.class || c == Boolean.class) {
            return true;
        }
        if (c == Instant.class) {
            return "2026-11-26T08:00:00Z";
        }
        return "…";
    }

    static String messageName(String type) {
        StringBuilder name = new StringBuilder();
        for (String part : type.split("[.-]")) {
            name.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return name.toString();
    }
}
