package cn.chuanyu.kit.outbox;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import cn.chuanyu.contracts.EventEnvelope;
import cn.chuanyu.kit.json.Json;
import cn.chuanyu.contracts.Messaging;
import cn.chuanyu.kit.KitTestApplication;
import cn.chuanyu.kit.test.TestInfrastructure;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Loss-freedom across restarts: of the service between commit and publish, and of the broker itself. These
 * tests stop the machine's RabbitMQ application briefly ({@code rabbitmqctl stop_app}/{@code start_app}).
 */
class OutboxSurvivesRestartsIT {

    private static final String PROBE = "restart-probe-" + TestInfrastructure.RUN_ID;

    @Test
    void aServiceRestartedBetweenCommitAndPublishStillPublishes() {
        EventEnvelope appended;
        try (ConfigurableApplicationContext before = start(false)) {
            declareProbe(before);
            appended = append(before, "test.before-restart");
            assertThat(sentAt(before, appended.id())).as("nothing relays in the first life").isNull();
        }

        try (ConfigurableApplicationContext after = start(true)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> sentAt(after, appended.id()) != null);
            Message message = receive(after, appended.id());
            assertThat(Json.read(message.getBody())).isEqualTo(appended);
        }
    }

    @Test
    void anEventAppendedWhileTheBrokerIsDownIsPublishedWhenItComesBack() {
        try (ConfigurableApplicationContext context = start(true)) {
            declareProbe(context);
            EventEnvelope appended;
            TestInfrastructure.rabbitmqctl("stop_app");
            try {
                appended = append(context, "test.while-broker-down");
                await().atMost(Duration.ofSeconds(20)).until(() -> attempts(context, appended.id()) > 0);
                assertThat(sentAt(context, appended.id())).isNull();
            }
            finally {
                TestInfrastructure.rabbitmqctl("start_app");
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> sentAt(context, appended.id()) != null);
            Message message = receive(context, appended.id());
            assertThat(Json.read(message.getBody())).isEqualTo(appended);
        }
    }

    private static ConfigurableApplicationContext start(boolean relay) {
        Map<String, Object> properties = new HashMap<>(TestInfrastructure.properties("kit_restart"));
        properties.put("chuanyu.outbox.relay-enabled", relay);
        properties.put("chuanyu.outbox.poll-interval", "200ms");
        properties.put("chuanyu.outbox.max-backoff", "1s");
        properties.put("chuanyu.outbox.confirm-timeout", "3s");
        // As command-line arguments: they must win over application.yml, as in a real start.
        return new SpringApplicationBuilder(KitTestApplication.class)
                .web(WebApplicationType.NONE)
                .run(properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue())
                        .toArray(String[]::new));
    }

    private static void declareProbe(ConfigurableApplicationContext context) {
        RabbitAdmin admin = new RabbitAdmin(context.getBean(ConnectionFactory.class));
        admin.declareQueue(new Queue(PROBE, true));
        admin.declareBinding(BindingBuilder.bind(new Queue(PROBE)).to(new TopicExchange(Messaging.EVENTS_EXCHANGE))
                .with("test.#"));
    }

    private static EventEnvelope append(ConfigurableApplicationContext context, String type) {
        Outbox outbox = context.getBean(Outbox.class);
        return new TransactionTemplate(context.getBean(PlatformTransactionManager.class))
                .execute(status -> outbox.append(type, "exchange-" + UUID.randomUUID(), "sc-a", "cq-b", Map.of()));
    }

    /** Drains the probe until the wanted event shows up (earlier tests may have left others). */
    private static Message receive(ConfigurableApplicationContext context, String eventId) {
        RabbitTemplate rabbit = new RabbitTemplate(context.getBean(ConnectionFactory.class));
        for (int i = 0; i < 100; i++) {
            Message message = rabbit.receive(PROBE, 5000);
            if (message == null) {
                break;
            }
            if (eventId.equals(message.getMessageProperties().getMessageId())) {
                return message;
            }
        }
        throw new AssertionError("event " + eventId + " never reached the broker");
    }

    private static java.sql.Timestamp sentAt(ConfigurableApplicationContext context, String eventId) {
        return context.getBean(JdbcClient.class).sql("select sent_at from outbox_event where event_id = :id")
                .param("id", UUID.fromString(eventId))
                .query(java.sql.Timestamp.class)
                .optional()
                .orElse(null);
    }

    private static int attempts(ConfigurableApplicationContext context, String eventId) {
        return context.getBean(JdbcClient.class).sql("select attempts from outbox_event where event_id = :id")
                .param("id", UUID.fromString(eventId))
                .query(Integer.class)
                .single();
    }
}
