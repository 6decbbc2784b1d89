package cn.chuanyu.audit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

import cn.chuanyu.contracts.AgencyKind;
import cn.chuanyu.contracts.EventEnvelope;
import cn.chuanyu.contracts.Messaging;
import cn.chuanyu.contracts.Region;
import cn.chuanyu.contracts.Role;
import cn.chuanyu.kit.consumer.ConsumerQueues;
import cn.chuanyu.kit.identity.Caller;
import cn.chuanyu.kit.outbox.EventJson;
import cn.chuanyu.kit.test.TestHttp;
import cn.chuanyu.kit.test.TestInfrastructure;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The audit trail as auditors see it, fed through the real broker. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.rabbitmq.listener.simple.retry.max-attempts=2",
            "spring.rabbitmq.listener.simple.retry.initial-interval=100ms"})
class AuditTrailIT {

    private static final Caller AUDITOR = new Caller("supervisor-auditor", Role.AUDITOR, null, null);
    private static final Caller AGENCY = new Caller("sc-chengdu-intermediate-court", Role.AGENCY, Region.SC,
            AgencyKind.COURT);

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.register(registry, "audit");
    }

    @LocalServerPort
    int port;

    @Autowired
    RabbitTemplate rabbit;

    @Autowired
    JdbcClient jdbc;

    private String exchangeId;

    @BeforeEach
    void newExchange() {
        exchangeId = UUID.randomUUID().toString();
    }

    @Test
    void anEventDeliveredTwiceIsRecordedOnce() {
        EventEnvelope submitted = event("case-transfer.submitted");
        publish(submitted);
        publish(submitted);
        EventEnvelope marker = event("case-transfer.accepted");
        publish(marker);

        // One consumer takes the queue in order, so once the later event is in, both copies were handled.
        await().atMost(Duration.ofSeconds(20)).until(() -> entries("").path("items").size() == 2);
        JsonNode items = entries("").path("items");
        assertThat(items.get(0).path("eventId").asString()).isEqualTo(submitted.id());
        assertThat(items.get(0).path("type").asString()).isEqualTo("case-transfer.submitted");
        assertThat(items.get(0).path("fromAgency").asString()).isEqualTo("sc-chengdu-intermediate-court");
        assertThat(items.get(0).path("toAgency").asString()).isEqualTo("cq-first-intermediate-court");
        assertThat(items.get(0).path("correlationId").asString()).isEqualTo("corr-12345678");
        assertThat(items.get(0).path("data").path("caseNumber").asString()).isEqualTo("(2026)川01刑初1号");
        assertThat(items.get(1).path("eventId").asString()).isEqualTo(marker.id());
        assertThat(items.get(1).path("seq").asLong()).isGreaterThan(items.get(0).path("seq").asLong());
    }

    @Test
    void entriesPageInSequenceOrderWithACursor() {
        for (int i = 0; i < 3; i++) {
            publish(event("case-transfer.submitted"));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> entries("").path("items").size() == 3);

        JsonNode first = entries("&limit=2");
        assertThat(first.path("items").size()).isEqualTo(2);
        String cursor = first.path("nextCursor").asString();
        assertThat(cursor).isNotBlank();

        JsonNode second = entries("&limit=2&cursor=" + cursor);
        assertThat(second.path("items").size()).isEqualTo(1);
        assertThat(second.path("nextCursor").isNull()).isTrue();
        assertThat(second.path("items").get(0).path("seq").asLong())
                .isGreaterThan(first.path("items").get(1).path("seq").asLong());
    }

    @Test
    void onlyAuditorsAndOperatorsMayRead() {
        TestHttp.Response agency = TestHttp.get(url(""), "X-Chuanyu-Principal", TestInfrastructure.token(AGENCY));
        assertThat(agency.status()).isEqualTo(403);
        assertThat(agency.contentType()).startsWith("application/problem+json");

        TestHttp.Response operator = TestHttp.get(url(""), "X-Chuanyu-Principal",
                TestInfrastructure.token(new Caller("ops-operator", Role.OPERATOR, null, null)));
        assertThat(operator.status()).isEqualTo(200);
    }

    @Test
    void aRequestThatBypassedTheGatewayIsRefused() {
        TestHttp.Response none = TestHttp.get(url(""));
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.contentType()).startsWith("application/problem+json");
        assertThat(none.json().path("detail").asString()).contains("gateway");

        TestHttp.Response forged = TestHttp.get(url(""), "X-Chuanyu-Principal", "Y3kxfGV2aWx8QVVESVRPUnx8.c2ln");
        assertThat(forged.status()).isEqualTo(401);
    }

    @Test
    void badParametersNameTheParameter() {
        TestHttp.Response cursor = TestHttp.get(url("&cursor=abc"), "X-Chuanyu-Principal",
                TestInfrastructure.token(AUDITOR));
        assertThat(cursor.status()).isEqualTo(400);
        assertThat(cursor.json().path("errors").get(0).path("field").asString()).isEqualTo("cursor");

        TestHttp.Response limit = TestHttp.get(url("&limit=100000"), "X-Chuanyu-Principal",
                TestInfrastructure.token(AUDITOR));
        assertThat(limit.status()).isEqualTo(400);
        assertThat(limit.json().path("errors").get(0).path("field").asString()).isEqualTo("limit");
    }

    @Test
    void entriesCannotBeRewrittenOrRemoved() {
        publish(event("case-transfer.submitted"));
        await().atMost(Duration.ofSeconds(20)).until(() -> entries("").path("items").size() == 1);

        assertThatThrownBy(() -> jdbc.sql("update audit_entry set type = 'forged' where exchange_id = :id")
                .param("id", exchangeId).update())
                .isInstanceOf(DataAccessException.class)
                .hasMessageContaining("append-only");
        assertThatThrownBy(() -> jdbc.sql("delete from audit_entry where exchange_id = :id")
                .param("id", exchangeId).update())
                .isInstanceOf(DataAccessException.class);
        assertThat(entries("").path("items").get(0).path("type").asString()).isEqualTo("case-transfer.submitted");
    }

    @Test
    void aMessageThatIsNotAnEventEndsInTheDeadLetterQueue() {
        String garbage = "not json " + UUID.randomUUID();
        MessageProperties properties = new MessageProperties();
        properties.setContentType("application/json");
        rabbit.send(Messaging.EVENTS_EXCHANGE, "case-transfer.submitted",
                new Message(garbage.getBytes(StandardCharsets.UTF_8), properties));

        String dlq = ConsumerQueues.deadLetterQueueName(Messaging.AUDIT_QUEUE);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            Message dead = rabbit.receive(dlq, 1000);
            return dead != null && new String(dead.getBody(), StandardCharsets.UTF_8).equals(garbage);
        });
    }

    private EventEnvelope event(String type) {
        return new EventEnvelope(UUID.randomUUID().toString(), "case-transfer-service", type, exchangeId,
                Instant.now().truncatedTo(ChronoUnit.MICROS), "corr-12345678", "sc-chengdu-intermediate-court",
                "cq-first-intermediate-court", Map.of("caseNumber", "(2026)川01刑初1号"));
    }

    private void publish(EventEnvelope event) {
        MessageProperties properties = new MessageProperties();
        properties.setContentType("application/json");
        properties.setMessageId(event.id());
        rabbit.send(Messaging.EVENTS_EXCHANGE, event.type(),
                new Message(EventJson.write(event).getBytes(StandardCharsets.UTF_8), properties));
    }

    private JsonNode entries(String query) {
        TestHttp.Response response = TestHttp.get(url(query), "X-Chuanyu-Principal",
                TestInfrastructure.token(AUDITOR));
        assertThat(response.status()).isEqualTo(200);
        return response.json();
    }

    private String url(String query) {
        return "http://localhost:" + port + "/api/v1/audit/entries?exchangeId=" + exchangeId + query;
    }
}
