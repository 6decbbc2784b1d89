package cn.chuanyu.kit.consumer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import cn.chuanyu.contracts.Messaging;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Declarable;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.core.TopicExchange;

/**
 * Declares a consumer's durable quorum queue, bound to the events exchange, with its retry (delay) queues
 * {@code <queue>.retry.1..n} and a dead-letter queue {@code <queue>.dlq} beside it.
 * Every declarer of a queue must use this, so the arguments always agree (RabbitMQ refuses a re-declaration with
 * different arguments).
 */
public final class ConsumerQueues {

    public static final String DEAD_LETTER_EXCHANGE = "chuanyu.dead-letters";

    private ConsumerQueues() {
    }

    public static TopicExchange eventsExchange() {
        return new TopicExchange(Messaging.EVENTS_EXCHANGE, true, false);
    }

    public static DirectExchange deadLetterExchange() {
        return new DirectExchange(DEAD_LETTER_EXCHANGE, true, false);
    }

    /**
     * The delay of each retry round, as the {@code x-message-ttl} of {@code <queue>.retry.<n>}: a message that failed
     * its in-memory attempts waits there, then the broker dead-letters it back to its queue through the default
     * exchange. A recoverer may ask for a shorter wait per message ({@code expiration}); never a longer one.
     */
    public static final List<Duration> RETRY_DELAYS =
            List.of(Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofSeconds(60));

    public static String deadLetterQueueName(String queue) {
        return queue + ".dlq";
    }

    /** The delay queue of retry round {@code round} (1-based; rounds past the last reuse the last queue). */
    public static String retryQueueName(String queue, int round) {
        return queue + ".retry." + Math.max(1, Math.min(round, RETRY_DELAYS.size()));
    }

    /**
     * Only the dead-letter exchange, {@code <queue>.dlq} and its binding, exactly as {@link #declare} makes them:
     * for a service that reads another consumer's dead letters without consuming its queue.
     */
    public static Declarables declareDeadLetterQueue(String queueName) {
        Queue deadLetterQueue = QueueBuilder.durable(deadLetterQueueName(queueName)).quorum().build();
        DirectExchange deadLetters = deadLetterExchange();
        return new Declarables(deadLetters, deadLetterQueue,
                BindingBuilder.bind(deadLetterQueue).to(deadLetters).with(queueName));
    }

    public static Declarables declare(String queueName, String... routingPatterns) {
        return declare(queueName, false, routingPatterns);
    }

    /**
     * As {@link #declare}, but the queue delivers to one consumer at a time ({@code x-single-active-consumer}); the
     * next registered consumer takes over when it goes away. For consumers whose effects must happen in order by
     * one writer, such as the audit log.
     */
    public static Declarables declareSingleActive(String queueName, String... routingPatterns) {
        return declare(queueName, true, routingPatterns);
    }

    /**
     * Two regions: a consumer's queue of events from the peer region's node, with the same retry and dead-letter
     * queues as {@link #declare}, bound to {@link Messaging#LINK_IN_EXCHANGE} instead of the events exchange. That
     * exchange belongs to the link, which the launch recipe declares (services may bind to it, not declare it), so
     * it is not declared here, and these queues are not in the one-node broker definitions.
     */
    public static Declarables declareLinkIn(String queueName, String... routingPatterns) {
        List<Declarable> all = new ArrayList<>(declare(queueName, false).getDeclarables());
        for (String pattern : routingPatterns) {
            all.add(new Binding(queueName, Binding.DestinationType.QUEUE, Messaging.LINK_IN_EXCHANGE, pattern, null));
        }
        return new Declarables(all);
    }

    private static Declarables declare(String queueName, boolean singleActive, String... routingPatterns) {
        return declare(eventsExchange(), queueName, singleActive, routingPatterns);
    }

    private static Declarables declare(TopicExchange events, String queueName, boolean singleActive,
            String... routingPatterns) {
        QueueBuilder builder = QueueBuilder.durable(queueName)
                .quorum()
                .deadLetterExchange(DEAD_LETTER_EXCHANGE)
                .deadLetterRoutingKey(queueName);
        if (singleActive) {
            builder.singleActiveConsumer();
        }
        Queue queue = builder.build();
        List<Declarable> all = new ArrayList<>(List.of(events, queue));
        all.addAll(declareDeadLetterQueue(queueName).getDeclarables());
        for (int round = 1; round <= RETRY_DELAYS.size(); round++) {
            all.add(QueueBuilder.durable(retryQueueName(queueName, round))
                    .quorum()
                    .ttl((int) RETRY_DELAYS.get(round - 1).toMillis())
                    .deadLetterExchange("")
                    .deadLetterRoutingKey(queueName)
                    .build());
        }
        for (String pattern : routingPatterns) {
            Binding binding = BindingBuilder.bind(queue).to(events).with(pattern);
            all.add(binding);
        }
        return new Declarables(all);
    }
}
