package cn.chuanyu.kit.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * The one way the kit publishes when it must know the broker took a message: mandatory routing and publisher
 * confirms, a message counted as sent only on a positive confirm of a routed copy (RabbitMQ acks an unroutable
 * mandatory message <em>and</em> returns it, so a return is a failure).
 * <p>
 * A list is published on one channel ({@link RabbitTemplate#invoke}): RabbitMQ keeps order only within a channel,
 * and Spring's caching factory parks a confirm-mode channel until its confirms arrive, so separate {@code send}
 * calls could leave on different channels and overtake each other.
 * <p>
 * Every message leaves with the AMQP {@code user-id} of the connection ({@link PublisherIdentity}): the broker
 * checks it, so consumers can tell who really sent a message.
 */
public class ConfirmedPublisher {

    private final RabbitTemplate rabbit;
    private final String user;

    /** @throws IllegalStateException when the connection factory does not give confirms and returns */
    public ConfirmedPublisher(ConnectionFactory connectionFactory) {
        if (!connectionFactory.isPublisherConfirms() || !connectionFactory.isPublisherReturns()) {
            throw new IllegalStateException("publishing needs publisher confirms and returns: set "
                    + "spring.rabbitmq.publisher-confirm-type=correlated and spring.rabbitmq.publisher-returns=true");
        }
        this.rabbit = new RabbitTemplate(connectionFactory);
        this.rabbit.setMandatory(true);
        this.user = connectionFactory.getUsername();
    }

    /** The broker user this publisher connects as: the {@code user-id} of every message it sends. */
    public String user() {
        return user;
    }

    /** A message and where it goes. */
    public record Outgoing(String exchange, String routingKey, Message message) {
    }

    /**
     * What became of one message: sent, or failed for the reason given.
     *
     * @param failure    why it failed; null when sent
     * @param unroutable whether the broker returned it: no queue is bound for its routing key (or the queue the
     *                   default exchange was asked for does not exist)
     */
    public record Outcome(String failure, boolean unroutable) {

        static final Outcome SENT = new Outcome(null, false);

        static Outcome failed(String reason) {
            return new Outcome(reason, false);
        }

        public boolean sent() {
            return failure == null;
        }
    }

    /** Publishes one message and waits for its confirm. */
    public Outcome publish(Outgoing message, Duration confirmTimeout) {
        return publishInOrder(List.of(message), confirmTimeout).get(0);
    }

    /**
     * Publishes the messages in list order on one channel, then waits (at most {@code confirmTimeout} in all) for
     * their confirms.
     *
     * @return one outcome per message, in list order; a message after one whose send threw was not sent at all
     */
    public List<Outcome> publishInOrder(List<Outgoing> messages, Duration confirmTimeout) {
        if (messages.isEmpty()) {
            return List.of();
        }
        try {
            return rabbit.invoke(ops -> {
                List<CorrelationData> confirms = new ArrayList<>(messages.size());
                String sendFailure = null;
                for (Outgoing outgoing : messages) {
                    CorrelationData correlation = new CorrelationData(UUID.randomUUID().toString());
                    try {
                        PublisherIdentity.stamp(outgoing.message().getMessageProperties(), user);
                        ops.send(outgoing.exchange(), outgoing.routingKey(), outgoing.message(), correlation);
                    }
                    catch (RuntimeException ex) {
                        sendFailure = "send failed: " + ex.getMessage();
                        break;
                    }
                    confirms.add(correlation);
                }
                // Awaited inside invoke: the channel stays ours until every confirm (and any return) is in.
                long deadline = System.nanoTime() + confirmTimeout.toNanos();
                List<Outcome> outcomes = new ArrayList<>(messages.size());
                for (CorrelationData correlation : confirms) {
                    outcomes.add(awaitConfirm(correlation, deadline, confirmTimeout));
                }
                while (outcomes.size() < messages.size()) {
                    outcomes.add(Outcome.failed(outcomes.size() == confirms.size() ? sendFailure
                            : "not sent: an earlier send on the channel failed (" + sendFailure + ")"));
                }
                return outcomes;
            }, null, null);
        }
        catch (RuntimeException ex) {
            // No channel (broker down, connection refused): nothing was sent.
            List<Outcome> failed = new ArrayList<>(messages.size());
            messages.forEach(m -> failed.add(Outcome.failed("no channel: " + ex.getMessage())));
            return failed;
        }
    }

    private static Outcome awaitConfirm(CorrelationData correlation, long deadline, Duration confirmTimeout) {
        try {
            CorrelationData.Confirm confirm = correlation.getFuture()
                    .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (!confirm.ack()) {
                return Outcome.failed("broker refused: " + confirm.reason());
            }
            if (correlation.getReturned() != null) {
                return new Outcome("unroutable: " + correlation.getReturned().getReplyText(), true);
            }
            return Outcome.SENT;
        }
        catch (TimeoutException ex) {
            return Outcome.failed("no confirm within " + confirmTimeout);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return Outcome.failed("interrupted while waiting for confirm");
        }
        catch (ExecutionException ex) {
            return Outcome.failed("confirm failed: " + ex.getMessage());
        }
    }
}
