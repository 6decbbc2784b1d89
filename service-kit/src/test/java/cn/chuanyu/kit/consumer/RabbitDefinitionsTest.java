package cn.chuanyu.kit.consumer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import cn.chuanyu.contracts.Messaging;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.Declarable;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.Exchange;
import org.springframework.amqp.core.Queue;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code infra/rabbitmq/definitions.json} must declare exactly what the code declares through {@link ConsumerQueues}
 * for every consumer queue found in the services' sources: same queues with the same arguments, same exchanges,
 * same bindings.
 */
class RabbitDefinitionsTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern QUEUE_CONSTANT = Pattern.compile("String QUEUE = \"([^\"]+)\"");
    private static final Pattern DECLARE = Pattern.compile("ConsumerQueues\\.declare(SingleActive)?\\(([^;]+)\\);");

    private static final Pattern AGENCY_QUEUE = Pattern.compile("\n  agencies:\n    queue: (\\S+)");

    /**
     * Every ConsumerQueues.declare call in the services' main sources, and every service's agency queue
     * ({@code chuanyu.agencies.queue}, declared by the kit's agency directory), resolved to the Declarables they make.
     */
    static Map<String, Declarables> declaredInCode() throws IOException {
        Map<String, Declarables> declared = new TreeMap<>();
        declared.put(Messaging.AUDIT_QUEUE, ConsumerQueues.declareSingleActive(Messaging.AUDIT_QUEUE, Messaging.ALL_EVENTS));
        try (Stream<Path> files = Files.walk(ROOT)) {
            for (Path file : files.filter(f -> f.toString().endsWith("/src/main/resources/application.yml")).toList()) {
                Matcher agencies = AGENCY_QUEUE.matcher(Files.readString(file));
                if (agencies.find()) {
                    declared.put(agencies.group(1), ConsumerQueues.declare(agencies.group(1), "agency.*"));
                }
            }
        }
        try (Stream<Path> files = Files.walk(ROOT)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java") && f.toString().contains("/src/main/java/")
                    && !f.toString().contains("/service-kit/")).toList()) {
                String source = Files.readString(file);
                Matcher call = DECLARE.matcher(source);
                while (call.find()) {
                    String[] args = call.group(2).split(",");
                    String queue = args[0].trim();
                    if (queue.equals("QUEUE")) {
                        Matcher constant = QUEUE_CONSTANT.matcher(source);
                        assertThat(constant.find()).as("QUEUE constant in " + file).isTrue();
                        queue = constant.group(1);
                    }
                    else {
                        queue = queue.replace("\"", "");
                    }
                    List<String> patterns = new ArrayList<>();
                    for (int i = 1; i < args.length; i++) {
                        patterns.add(args[i].trim().replace("\"", ""));
                    }
                    Declarables d = call.group(1) != null
                            ? ConsumerQueues.declareSingleActive(queue, patterns.toArray(String[]::new))
                            : ConsumerQueues.declare(queue, patterns.toArray(String[]::new));
                    declared.put(queue, d);
                }
            }
        }
        return declared;
    }

    @Test
    void everyConsumerQueueInTheCodeIsListedInMessaging() throws IOException {
        assertThat(declaredInCode().keySet()).containsExactlyInAnyOrderElementsOf(Messaging.CONSUMER_QUEUES);
    }

    @Test
    void definitionsFileMatchesWhatTheCodeDeclares() throws IOException {
        JsonNode definitions = JsonMapper.builder().build()
                .readTree(Files.readString(ROOT.resolve("infra/rabbitmq/definitions.json")));

        Set<String> codeQueues = new HashSet<>();
        Set<String> codeExchanges = new HashSet<>();
        Set<String> codeBindings = new HashSet<>();
        for (Declarables declarables : declaredInCode().values()) {
            for (Declarable d : declarables.getDeclarables()) {
                if (d instanceof Queue q) {
                    codeQueues.add(q.getName() + " durable=" + q.isDurable() + " autoDelete=" + q.isAutoDelete()
                            + " " + normalize(q.getArguments()));
                }
                else if (d instanceof Exchange e) {
                    codeExchanges.add(e.getName() + " " + e.getType() + " durable=" + e.isDurable()
                            + " autoDelete=" + e.isAutoDelete() + " " + normalize(e.getArguments()));
                }
                else if (d instanceof Binding b) {
                    codeBindings.add(b.getExchange() + " -> " + b.getDestination() + " [" + b.getRoutingKey() + "] "
                            + normalize(b.getArguments()));
                }
            }
        }

        Set<String> fileQueues = new HashSet<>();
        for (JsonNode q : definitions.get("queues")) {
            fileQueues.add(q.get("name").asString() + " durable=" + q.get("durable").asBoolean() + " autoDelete="
                    + q.get("auto_delete").asBoolean() + " " + normalize(toMap(q.get("arguments"))));
        }
        Set<String> fileExchanges = new HashSet<>();
        for (JsonNode e : definitions.get("exchanges")) {
            fileExchanges.add(e.get("name").asString() + " " + e.get("type").asString() + " durable="
                    + e.get("durable").asBoolean() + " autoDelete=" + e.get("auto_delete").asBoolean() + " "
                    + normalize(toMap(e.get("arguments"))));
        }
        Set<String> fileBindings = new HashSet<>();
        for (JsonNode b : definitions.get("bindings")) {
            assertThat(b.get("destination_type").asString()).isEqualTo("queue");
            fileBindings.add(b.get("source").asString() + " -> " + b.get("destination").asString() + " ["
                    + b.get("routing_key").asString() + "] " + normalize(toMap(b.get("arguments"))));
        }

        assertThat(fileQueues).containsExactlyInAnyOrderElementsOf(codeQueues);
        assertThat(fileExchanges).containsExactlyInAnyOrderElementsOf(codeExchanges);
        assertThat(fileBindings).containsExactlyInAnyOrderElementsOf(codeBindings);
    }

    private static Map<String, Object> toMap(JsonNode node) {
        Map<String, Object> map = new LinkedHashMap<>();
        if (node != null) {
            node.properties().forEach(e -> map.put(e.getKey(),
                    e.getValue().isNumber() ? (Object) e.getValue().asLong()
                            : e.getValue().isBoolean() ? (Object) e.getValue().asBoolean() : e.getValue().asString()));
        }
        return map;
    }

    /** Sorted, with numbers as longs and everything else as strings, so 1000 (int) equals 1000 (JSON). */
    private static String normalize(Map<String, Object> arguments) {
        Map<String, String> sorted = new TreeMap<>();
        if (arguments != null) {
            arguments.forEach((k, v) -> sorted.put(k, v instanceof Number n ? Long.toString(n.longValue()) : String.valueOf(v)));
        }
        return sorted.toString();
    }
}
