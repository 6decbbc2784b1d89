package cn.chuanyu.audit.ops;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import cn.chuanyu.contracts.DeadLetterDiscarded;
import cn.chuanyu.contracts.DeadLetterReplayed;
import cn.chuanyu.contracts.EventTypes;
import cn.chuanyu.kit.consumer.DeadLetterHeaders;
import cn.chuanyu.kit.consumer.MessagingProperties;
import cn.chuanyu.kit.messaging.ConfirmedPublisher;
import cn.chuanyu.kit.messaging.ConfirmedPublisher.Outcome;
import cn.chuanyu.kit.messaging.ConfirmedPublisher.Outgoing;
import cn.chuanyu.kit.outbox.Outbox;
import cn.chuanyu.kit.domain.StateConflictException;
import cn.chuanyu.kit.domain.NotFoundException;
import cn.chuanyu.kit.web.ServiceUnavailableException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Replays (republishes to the original queue through the default exchange, with publisher confirms, attempt counter
 * reset) and discards dead letters. Each action locks the row, so two operators cannot replay one letter twice, and
 * appends its {@code ops.dead-letter-*} event to the outbox in the same transaction: every action is an audit entry.
 */
@Service
class DeadLetterReplayer {

    /** Headers of the failure and of the broker's dead-lettering, not carried into a replay. */
    private static final java.util.Set<String> DROPPED = java.util.Set.of(DeadLetterHeaders.FAILURE_REASON,
            DeadLetterHeaders.FAILURE_EXCEPTION, DeadLetterHeaders.FAILED_AT, DeadLetterHeaders.FATAL,
            DeadLetterHeaders.ORIGINAL_QUEUE, "x-death", "x-first-death-queue", "x-first-death-reason",
            "x-first-death-exchange", "x-last-death-queue", "x-last-death-reason", "x-last-death-exchange",
            "x-delivery-count");

    static final String HEADER_REPLAY_OF = "x-chuanyu-replay-of";

    private final DeadLetterStore store;
    private final TransactionTemplate tx;
    private final Outbox outbox;
    private final ConfirmedPublisher publisher;
    private final MessagingProperties messaging;
    private final MeterRegistry meters;

    DeadLetterReplayer(DeadLetterStore store, TransactionTemplate tx, Outbox outbox,
            ConfirmedPublisher publisher, MessagingProperties messaging, MeterRegistry meters) {
        this.store = store;
        this.tx = tx;
        this.outbox = outbox;
        this.messaging = messaging;
        this.meters = meters;
        this.publisher = publisher;
    }

    record Replayed(UUID id, String state, Instant replayedAt) {
    }

    record Discarded(UUID id, String state, Instant discardedAt, String reason) {
    }

    Replayed replay(UUID id, String operator) {
        return tx.execute(status -> {
            DeadLetter letter = store.lock(id).orElseThrow(() -> new NotFoundException("no dead letter " + id));
            if (!DeadLetter.PENDING.equals(letter.state())) {
                throw new StateConflictException("dead letter " + id + " is " + letter.state() + ", not PENDING",
                        letter.state());
            }
            publish(letter);
            store.markReplayed(id, operator);
            outbox.append(EventTypes.OPS_DEAD_LETTER_REPLAYED, subject(letter), null, null,
                    new DeadLetterReplayed(id.toString(), letter.queue(), letter.eventId(), letter.type(), operator));
            Counter.builder("chuanyu.ops.dead.letters.replayed").tag("queue", letter.queue()).register(meters)
                    .increment();
            return new Replayed(id, DeadLetter.REPLAYED, store.byId(id).map(DeadLetter::actedAt).orElse(Instant.now()));
        });
    }

    Discarded discard(UUID id, String operator, String reason) {
        return tx.execute(status -> {
            DeadLetter letter = store.lock(id).orElseThrow(() -> new NotFoundException("no dead letter " + id));
            if (!DeadLetter.PENDING.equals(letter.state())) {
                throw new StateConflictException("dead letter " + id + " is " + letter.state() + ", not PENDING",
                        letter.state());
            }
            store.markDiscarded(id, operator, reason);
            outbox.append(EventTypes.OPS_DEAD_LETTER_DISCARDED, subject(letter), null, null,
                    new DeadLetterDiscarded(id.toString(), letter.queue(), letter.eventId(), letter.type(), operator,
                            reason));
            return new Discarded(id, DeadLetter.DISCARDED,
                    store.byId(id).map(DeadLetter::actedAt).orElse(Instant.now()), reason);
        });
    }

    /** The audit entry of an action belongs to the exchange the message was about, if it names one. */
    private static String subject(DeadLetter letter) {
        return letter.exchangeId() != null ? letter.exchangeId() : letter.id().toString();
    }

    private void publish(DeadLetter letter) {
        MessageProperties properties = new MessageProperties();
        Map<String, Object> headers = new LinkedHashMap<>(letter.headers());
        headers.keySet().removeAll(DROPPED);
        headers.forEach(properties::setHeader);
        properties.setHeader(DeadLetterHeaders.ATTEMPTS, 0);
        properties.setHeader(HEADER_REPLAY_OF, letter.id().toString());
        properties.setMessageId(letter.messageId());
        properties.setContentType(letter.contentType());
        properties.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
        Outcome outcome = publisher.publish(new Outgoing("", letter.queue(), new Message(letter.body(), properties)),
                messaging.confirmTimeout());
        String failure = outcome.unroutable() ? "queue " + letter.queue() + " does not exist: " + outcome.failure()
                : outcome.failure();
        if (failure != null) {
            throw new ServiceUnavailableException("rabbitmq", "replay of " + letter.id() + " not confirmed ("
                    + failure + "); it stays PENDING", 5, null);
        }
    }
}
