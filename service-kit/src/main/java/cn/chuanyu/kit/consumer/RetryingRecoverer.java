package cn.chuanyu.kit.consumer;

import java.time.Clock;

import cn.chuanyu.kit.messaging.ConfirmedPublisher;
import cn.chuanyu.kit.messaging.ConfirmedPublisher.Outcome;
import cn.chuanyu.kit.messaging.ConfirmedPublisher.Outgoing;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.AmqpRejectAndDontRequeueException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.retry.MessageRecoverer;
import org.springframework.amqp.rabbit.support.ListenerExecutionFailedException;

/**
 * What a consumer does with a message once the container's in-memory attempts failed: it republishes the message,
 * with publisher confirms, to the queue's next retry (delay) queue {@code <queue>.retry.<n>}, from which the broker
 * returns it to the queue after the delay; after {@code chuanyu.messaging.max-redeliveries} rounds, or at once when
 * the message can never be processed ({@link AmqpRejectAndDontRequeueException} anywhere in the cause, e.g. from
 * {@link EventMessages#read}), it goes to {@code <queue>.dlq} with headers naming the failure ({@link DeadLetterHeaders}).
 * <p>
 * The original delivery is acknowledged only after the broker confirmed the republished copy; if the republish is
 * not confirmed this throws, the delivery is requeued and nothing is lost (at worst it is processed again, which
 * idempotent consumers tolerate).
 */
public class RetryingRecoverer implements MessageRecoverer {

    private static final Logger log = LoggerFactory.getLogger(RetryingRecoverer.class);

    private final ConfirmedPublisher publisher;
    private final MessagingProperties props;
    private final MeterRegistry meters;
    private final Clock clock;

    public RetryingRecoverer(ConfirmedPublisher publisher, MessagingProperties props, MeterRegistry meters,
            Clock clock) {
        this.publisher = publisher;
        this.props = props;
        this.meters = meters;
        this.clock = clock;
    }

    @Override
    public void recover(Message message, Throwable cause) {
        MessageProperties properties = message.getMessageProperties();
        String queue = properties.getConsumerQueue();
        if (queue == null) {
            throw new AmqpRejectAndDontRequeueException("no consumer queue to retry on", cause);
        }
        Throwable failure = unwrap(cause);
        boolean fatal = neverSucceeds(cause);
        int rounds = DeadLetterHeaders.intValue(properties.getHeader(DeadLetterHeaders.ATTEMPTS)) + 1;
        String reason = reason(failure);
        properties.setHeader(DeadLetterHeaders.ATTEMPTS, rounds);
        properties.setHeader(DeadLetterHeaders.ORIGINAL_QUEUE, queue);
        properties.setHeader(DeadLetterHeaders.FAILURE_REASON, reason);
        properties.setHeader(DeadLetterHeaders.FAILURE_EXCEPTION, failure.getClass().getName());
        if (properties.getDeliveryMode() == null) {
            properties.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
        }
        if (fatal || rounds > props.maxRedeliveries()) {
            properties.setExpiration(null);
            properties.setHeader(DeadLetterHeaders.FAILED_AT, clock.instant().toString());
            properties.setHeader(DeadLetterHeaders.FATAL, fatal);
            send(ConsumerQueues.DEAD_LETTER_EXCHANGE, queue, message);
            counter("chuanyu.consumer.dead.lettered", queue, fatal ? "fatal" : "exhausted").increment();
            log.warn("message {} on {} dead-lettered after {} round(s): {}", properties.getMessageId(), queue,
                    rounds, reason);
        }
        else {
            properties.setExpiration(Long.toString(props.delay(rounds).toMillis()));
            send("", ConsumerQueues.retryQueueName(queue, rounds), message);
            counter("chuanyu.consumer.retried", queue, "round-" + Math.min(rounds, ConsumerQueues.RETRY_DELAYS.size()))
                    .increment();
            log.info("message {} on {} failed round {} ({}); redelivered in {}", properties.getMessageId(), queue,
                    rounds, reason, props.delay(rounds));
        }
    }

    private Counter counter(String name, String queue, String kind) {
        return Counter.builder(name).tag("queue", queue).tag("kind", kind).register(meters);
    }

    private void send(String exchange, String routingKey, Message message) {
        Outcome outcome = publisher.publish(new Outgoing(exchange, routingKey, message), props.confirmTimeout());
        if (!outcome.sent()) {
            throw new AmqpException("republish to " + (exchange.isEmpty() ? routingKey : exchange) + " failed: "
                    + outcome.failure());
        }
    }

    /** The listener's own exception, without the container's wrapper. */
    static Throwable unwrap(Throwable cause) {
        Throwable current = cause;
        while (current instanceof ListenerExecutionFailedException && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    /** True when something in the cause chain says the message can never be processed. */
    public static boolean neverSucceeds(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof AmqpRejectAndDontRequeueException) {
                return true;
            }
        }
        return false;
    }

    static String reason(Throwable failure) {
        String text = failure.getClass().getName() + ": " + failure.getMessage();
        return text.length() > 1000 ? text.substring(0, 1000) : text;
    }
}
