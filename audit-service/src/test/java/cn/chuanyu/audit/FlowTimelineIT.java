package cn.chuanyu.audit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;

import cn.chuanyu.contracts.EventEnvelope;
import cn.chuanyu.contracts.Messaging;
import cn.chuanyu.contracts.Role;
import cn.chuanyu.kit.identity.Caller;
import cn.chuanyu.kit.json.Json;
import cn.chuanyu.kit.test.TestHttp;
import cn.chuanyu.kit.test.TestInfrastructure;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The flow chart's history against the real database: entries recorded through the real audit queue come back per
 * minute and type, zero-filled over the window, with the gateway's access records in a group of their own. A vhost
 * of its own (the audit queue has a single active consumer).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class FlowTimelineIT {

    private static final Caller OPERATOR = new Caller("ops-operator", Role.OPERATOR, null, null);
    private static final Caller AUDITOR = new Caller("supervisor-auditor", Role.AUDITOR, null, null);
    private static final String VHOST = TestInfrastructure.vhost() + "-timeline";

    static {
        TestInfrastructure.rabbitmqctl("add_vhost", VHOST);
        TestInfrastructure.rabbitmqctl("set_permissions", "-p", VHOST, "guest", ".*", ".*", ".*");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> TestInfrastructure.rabbitmqctl("delete_vhost", VHOST)));
    }

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        AuditTestSupport.register(registry, "audit_timeline");
        registry.add("spring.rabbitmq.virtual-host", () -> VHOST);
    }

    @LocalServerPort
    int port;

    @Autowired
    RabbitTemplate rabbit;

    @Test
    void entriesPerMinuteAndTypeOverTheLastHourZeroFilledWithAccessRecordsApart() {
        String exchangeId = UUID.randomUUID().toString();
        Instant before = Instant.now();
        for (int i = 0; i < 3; i++) {
            publish(event("case-transfer.submitted", "case-transfer-service", exchangeId));
        }
        for (int i = 0; i < 5; i++) {
            publish(event("gateway.access", "gateway", "corr-" + i));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> total(timeline("60m"), "gateway.access") == 5
                && total(timeline("60m"), "case-transfer.submitted") == 3);
        Instant after = Instant.now();

        TestHttp.Response response = get("/api/v1/ops/flows/timeline?window=60m", OPERATOR);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode body = response.json();
        assertThat(body.path("window").asString()).isEqualTo("60m");
        assertThat(body.path("step").asString()).isEqualTo("PT1M");
        List<Instant> minutes = StreamSupport.stream(body.path("minutes").spliterator(), false)
                .map(n -> Instant.parse(n.asString())).toList();
        assertThat(minutes).hasSize(60);
        assertThat(minutes.get(0)).isEqualTo(Instant.parse(body.path("from").asString()));
        for (int i = 1; i < minutes.size(); i++) {
            assertThat(Duration.between(minutes.get(i - 1), minutes.get(i))).isEqualTo(Duration.ofMinutes(1));
        }
        Instant generatedAt = Instant.parse(body.path("generatedAt").asString());
        assertThat(minutes.get(59)).isEqualTo(generatedAt.truncatedTo(ChronoUnit.MINUTES));

        JsonNode submitted = series(body, "case-transfer.submitted");
        assertThat(submitted.path("group").asString()).isEqualTo("business");
        assertThat(submitted.path("counts").size()).isEqualTo(60);
        // Every bucket is there (zeros included), and the three entries sit in the minutes they were recorded in.
        long inRecordingMinutes = 0;
        for (int i = 0; i < 60; i++) {
            long count = submitted.path("counts").get(i).asLong();
            boolean recordingMinute = !minutes.get(i).isBefore(before.truncatedTo(ChronoUnit.MINUTES))
                    && !minutes.get(i).isAfter(after);
            if (!recordingMinute) {
                assertThat(count).as("minute %s", minutes.get(i)).isZero();
            }
            inRecordingMinutes += count;
        }
        assertThat(inRecordingMinutes).isEqualTo(3);
        assertThat(series(body, "gateway.access").path("group").asString()).isEqualTo("access");

        // The same history for every caller and every reload: nothing is kept per client.
        JsonNode again = timeline("60m");
        assertThat(series(again, "case-transfer.submitted").path("counts"))
                .isEqualTo(submitted.path("counts"));
        assertThat(timeline("5m").path("minutes").size()).isEqualTo(5);
        assertThat(timeline("3h").path("minutes").size()).isEqualTo(180);
    }

    @Test
    void aWindowOutsideOneMinuteToThreeHoursIsAProblemNamingIt() {
        for (String bad : List.of("0m", "4h", "181m", "30s", "soon")) {
            TestHttp.Response r = get("/api/v1/ops/flows/timeline?window=" + bad, OPERATOR);
            assertThat(r.status()).as(bad).isEqualTo(400);
            assertThat(r.header("Content-Type")).as(bad).startsWith("application/problem+json");
            assertThat(r.json().path("errors").get(0).path("field").asString()).as(bad).isEqualTo("window");
        }
        assertThat(get("/api/v1/ops/flows/timeline", AUDITOR).status()).isEqualTo(403);
        assertThat(get("/api/v1/ops/flows/timeline", OPERATOR).json().path("window").asString()).isEqualTo("60m");
    }

    private JsonNode timeline(String window) {
        TestHttp.Response response = get("/api/v1/ops/flows/timeline?window=" + window, OPERATOR);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    private static JsonNode series(JsonNode timeline, String type) {
        for (JsonNode s : timeline.path("series")) {
            if (s.path("type").asString().equals(type)) {
                return s;
            }
        }
        throw new AssertionError("no series " + type + " in " + timeline);
    }

    private static long total(JsonNode timeline, String type) {
        for (JsonNode s : timeline.path("series")) {
            if (s.path("type").asString().equals(type)) {
                return s.path("total").asLong();
            }
        }
        return 0;
    }

    private static EventEnvelope event(String type, String source, String subject) {
        return new EventEnvelope(UUID.randomUUID().toString(), source, type, subject,
                Instant.now().truncatedTo(ChronoUnit.MICROS), "corr-timeline", null, null, Map.of());
    }

    private void publish(EventEnvelope event) {
        MessageProperties properties = new MessageProperties();
        properties.setContentType("application/json");
        properties.setMessageId(event.id());
        rabbit.send(Messaging.EVENTS_EXCHANGE, event.type(),
                new Message(Json.write(event).getBytes(StandardCharsets.UTF_8), properties));
    }

    private TestHttp.Response get(String path, Caller caller) {
        return TestHttp.get(url(path), "X-Chuanyu-Principal", TestInfrastructure.token(caller));
    }

    private String url(String path) {
        return "http://localhost:" + port + path;
    }
}
