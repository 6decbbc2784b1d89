package cn.chuanyu.kit.consumer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import cn.chuanyu.contracts.EventEnvelope;
import cn.chuanyu.kit.KitTestApplication;
import cn.chuanyu.kit.json.Json;
import cn.chuanyu.kit.test.TestInfrastructure;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The kit's recoverer on the real broker: a failing message goes round the delay queues (attempts counted in a
 * header) and then to the .dlq naming its failure; one that recovers is processed; an unparseable one goes straight
 * to the .dlq. Short delays (per-message expiration below the queues' TTLs).
 */
@SpringBootTest(classes = KitTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = {"chuanyu.outbox.relay-enabled=false",
            "spring.rabbitmq.listener.simple.retry.max-retries=1",
            "spring.rabbitmq.listener.simple.retry.initial-interval=20ms",
            "chuanyu.messaging.max-redeliveries=2",
            "chuanyu.messaging.retry-delays=250ms"})
@Import(RetryingRecovererIT.FlakyConsumer.class)
class RetryingRecovererIT {

    static final String QUEUE = "kit-test.flaky";

    /** Per message id: the deliveries seen (time, attempts header). */
    static final Map<String, List<Object[]>> DELIVERIES = new ConcurrentHashMap<>();

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.register(registry, "kit");
    }

    @TestConfiguration
    static class FlakyConsumer {

        @Bean
        Declarables flakyTopology() {
            return ConsumerQueues.declare(QUEUE, "kit-test.#");
        }

        /** Subject "fail-N": fails its first N rounds (each round = 2 in-memory attempts), then succeeds. */
        @RabbitListener(queues = QUEUE)
        void onMessage(Message message) {
            EventEnvelope event = EventMessages.read(message);
            int attempts = DeadLetterHeaders.intValue(message.getMessageProperties().getHeader(DeadLetterHeaders.ATTEMPTS));
            DELIVERIES.computeIfAbsent(event.id(), k -> new CopyOnWriteArrayList<>())
                    .add(new Object[] {Instant.now(), attempts});
            int failRounds = Integer.parseInt(event.subject().substring("fail-".length()));
            if (attempts < failRounds) {
                throw new IllegalStateException("downstream unavailable (round " + (attempts + 1) + ")");
            }
        }
    }

    @Autowired
    RabbitTemplate rabbit;

    @Test
    void aMessageThatKeepsFailingIsRetriedWithDelaysThenDeadLetteredNamingItsFailure() {
        EventEnvelope event = send(99);
        Message dead = await().atMost(Duration.ofSeconds(20))
                .until(() -> rabbit.receive(ConsumerQueues.deadLetterQueueName(QUEUE), 200), m -> m != null);

        assertThat(Json.read(dead.getBody()).id()).isEqualTo(event.id());
        MessageProperties p = dead.getMessageProperties();
        assertThat(DeadLetterHeaders.intValue(p.getHeader(DeadLetterHeaders.ATTEMPTS))).isEqualTo(3);
        assertThat(p.<String>getHeader(DeadLetterHeaders.ORIGINAL_QUEUE)).isEqualTo(QUEUE);
        assertThat(p.<String>getHeader(DeadLetterHeaders.FAILURE_REASON))
                .isEqualTo("java.lang.IllegalStateException: downstream unavailable (round 3)");
        assertThat(p.<String>getHeader(DeadLetterHeaders.FAILURE_EXCEPTION)).isEqualTo("java.lang.IllegalStateException");
        assertThat(Instant.parse(p.<String>getHeader(DeadLetterHeaders.FAILED_AT))).isBefore(Instant.now());

        // 3 rounds of 2 attempts; the rounds are the delay (250 ms) apart.
        List<Object[]> deliveries = DELIVERIES.get(event.id());
        assertThat(deliveries).hasSize(6);
        assertThat(deliveries.stream().map(d -> (int) d[1]).toList()).containsExactly(0, 0, 1, 1, 2, 2);
        assertThat(Duration.between((Instant) deliveries.get(1)[0], (Instant) deliveries.get(2)[0]))
                .isGreaterThanOrEqualTo(Duration.ofMillis(200));
    }

    @Test
    void aMessageThatRecoversIsProcessedAndNeverDeadLettered() {
        EventEnvelope event = send(2);
        await().atMost(Duration.ofSeconds(20)).until(() -> DELIVERIES.getOrDefault(event.id(), List.of()).size() == 5);
        assertThat(DELIVERIES.get(event.id()).stream().map(d -> (int) d[1]).toList()).containsExactly(0, 0, 1, 1, 2);
    }

    @Test
    void anUnparseableMessageGoesStraightToTheDeadLetterQueue() {
        String garbage = "{not an event " + UUID.randomUUID();
        rabbit.send(cn.chuanyu.contracts.Messaging.EVENTS_EXCHANGE, "kit-test.garbage",
                new Message(garbage.getBytes(StandardCharsets.UTF_8), new MessageProperties()));
        Message dead = await().atMost(Duration.ofSeconds(20))
                .until(() -> rabbit.receive(ConsumerQueues.deadLetterQueueName(QUEUE), 200),
                        m -> m != null && new String(m.getBody(), StandardCharsets.UTF_8).equals(garbage));
        MessageProperties p = dead.getMessageProperties();
        assertThat(DeadLetterHeaders.intValue(p.getHeader(DeadLetterHeaders.ATTEMPTS))).isEqualTo(1);
        assertThat(p.<String>getHeader(DeadLetterHeaders.FAILURE_REASON))
                .startsWith("org.springframework.amqp.AmqpRejectAndDontRequeueException: not an event envelope");
        assertThat(p.<Boolean>getHeader(DeadLetterHeaders.FATAL)).isTrue();
    }

    private EventEnvelope send(int failRounds) {
        EventEnvelope event = new EventEnvelope(UUID.randomUUID().toString(), "test", "kit-test.happened",
                "fail-" + failRounds, Instant.now(), null, "sc-a", "cq-b", Map.of());
        MessageProperties properties = new MessageProperties();
        properties.setMessageId(event.id());
        rabbit.send(cn.chuanyu.contracts.Messaging.EVENTS_EXCHANGE, event.type(),
                new Message(Json.write(event).getBytes(StandardCharsets.UTF_8), properties));
        return event;
    }
}
