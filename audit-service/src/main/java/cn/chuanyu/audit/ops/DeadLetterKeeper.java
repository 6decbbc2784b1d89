package cn.chuanyu.audit.ops;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import cn.chuanyu.contracts.EventEnvelope;
import cn.chuanyu.contracts.Messaging;
import cn.chuanyu.kit.consumer.DeadLetterHeaders;
import cn.chuanyu.kit.json.Json;
import cn.chuanyu.kit.messaging.PublisherIdentity;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Consumes every consumer's {@code <queue>.dlq} and keeps each message in the {@code dead_letter} table, once (a
 * redelivered copy finds its delivery key), acknowledging only after that commit. A failure to store throws after
 * a short pause, so the message is requeued and kept later; nothing is dropped here.
 */
@Component
class DeadLetterKeeper {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterKeeper.class);

    private final DeadLetterStore store;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final MeterRegistry meters;
    private final String ownUser;

    DeadLetterKeeper(DeadLetterStore store, TransactionTemplate tx, Clock clock, MeterRegistry meters,
            ConnectionFactory connectionFactory) {
        this.ownUser = connectionFactory.getUsername();
        this.store = store;
        this.tx = tx;
        this.clock = clock;
        this.meters = meters;
    }

    @RabbitListener(queues = "#{@" + OpsConfiguration.DLQ_NAMES + "}", containerFactory = OpsConfiguration.FACTORY)
    void onDeadLetter(Message message) {
        try {
            DeadLetter letter = read(message);
            Boolean stored = tx.execute(status -> store.insert(letter, deliveryKey(letter)));
            if (Boolean.TRUE.equals(stored)) {
                Counter.builder("chuanyu.ops.dead.letters.kept").tag("queue", letter.queue()).register(meters)
                        .increment();
                log.warn("dead letter {} kept from {}: {} ({} round(s))", letter.id(), letter.queue(),
                        letter.reason(), letter.attempts());
            }
        }
        catch (RuntimeException ex) {
            log.error("could not keep a dead letter from {}; it stays queued: {}",
                    message.getMessageProperties().getConsumerQueue(), ex.toString());
            try {
                Thread.sleep(1000);
            }
            catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
            throw ex;
        }
    }

    DeadLetter read(Message message) {
        MessageProperties p = message.getMessageProperties();
        // A replay republishes the kept headers as this service's own message: keep in them only the publisher the
        // broker vouched for, never one a sender wrote itself.
        String firstPublisher = PublisherIdentity.firstPublisher(p, ownUser);
        Map<String, Object> headers = new LinkedHashMap<>(p.getHeaders());
        headers.put(PublisherIdentity.FIRST_PUBLISHER, PublisherIdentity.headerValue(firstPublisher));
        Map<String, Object> firstDeath = firstDeath(headers);
        String queue = string(headers.get(DeadLetterHeaders.ORIGINAL_QUEUE));
        if (queue == null && firstDeath != null) {
            queue = string(firstDeath.get("queue"));
        }
        if (queue == null) {
            String consumed = p.getConsumerQueue();
            queue = consumed != null && consumed.endsWith(".dlq") ? consumed.substring(0, consumed.length() - 4)
                    : String.valueOf(consumed);
        }
        String reason = string(headers.get(DeadLetterHeaders.FAILURE_REASON));
        if (reason == null) {
            reason = "dead-lettered by the broker: "
                    + (firstDeath == null ? "unknown" : String.valueOf(firstDeath.get("reason")));
        }
        int attempts = DeadLetterHeaders.intValue(headers.get(DeadLetterHeaders.ATTEMPTS));
        if (attempts == 0 && firstDeath != null) {
            attempts = DeadLetterHeaders.intValue(firstDeath.get("count"));
        }
        Instant failedAt = instant(headers.get(DeadLetterHeaders.FAILED_AT));
        if (failedAt == null && firstDeath != null && firstDeath.get("time") instanceof Date d) {
            failedAt = d.toInstant();
        }
        if (failedAt == null) {
            failedAt = clock.instant();
        }
        String eventId = null;
        String type = string(headers.get(Messaging.HEADER_EVENT_TYPE));
        String exchangeId = null;
        String correlationId = string(headers.get(Messaging.HEADER_CORRELATION_ID));
        try {
            EventEnvelope event = Json.read(message.getBody());
            eventId = event.id();
            type = event.type() != null ? event.type() : type;
            exchangeId = event.subject();
            correlationId = event.correlationId() != null ? event.correlationId() : correlationId;
        }
        catch (RuntimeException ex) {
            // Not an event (that may be why it is here): keep what the headers say.
        }
        if (eventId == null) {
            eventId = p.getMessageId();
        }
        return new DeadLetter(UUID.randomUUID(), 0, queue, eventId, type, exchangeId, correlationId, reason,
                attempts, failedAt, p.getMessageId(), p.getContentType(), message.getBody(), plain(headers),
                DeadLetter.PENDING, null, null, null);
    }

    /** The same dead-lettering of the same message always has the same key; a later one (after a replay) not. */
    static String deliveryKey(DeadLetter d) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((d.queue() + "\n" + d.deadLetteredAt() + "\n" + d.messageId() + "\n" + d.attempts() + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            sha.update(d.body());
            return HexFormat.of().formatHex(sha.digest());
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> firstDeath(Map<String, Object> headers) {
        if (headers.get("x-death") instanceof List<?> deaths && !deaths.isEmpty() && deaths.get(0) instanceof Map) {
            return (Map<String, Object>) deaths.get(deaths.size() - 1);
        }
        return null;
    }

    /** Header values as JSON-friendly values (dates as ISO-8601 text). */
    static Map<String, Object> plain(Map<String, Object> headers) {
        Map<String, Object> out = new LinkedHashMap<>();
        headers.forEach((k, v) -> out.put(k, plainValue(v)));
        return out;
    }

    private static Object plainValue(Object v) {
        if (v == null || v instanceof String || v instanceof Number || v instanceof Boolean) {
            return v;
        }
        if (v instanceof Date d) {
            return d.toInstant().toString();
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(String.valueOf(k), plainValue(x)));
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(x -> out.add(plainValue(x)));
            return out;
        }
        if (v instanceof byte[] b) {
            return new String(b, StandardCharsets.UTF_8);
        }
        return v.toString();
    }

    private static String string(Object v) {
        return v == null || v.toString().isBlank() ? null : v.toString();
    }

    private static Instant instant(Object v) {
        if (v instanceof Date d) {
            return d.toInstant();
        }
        if (v != null) {
            try {
                return Instant.parse(v.toString());
            }
            catch (DateTimeParseException ex) {
                return null;
            }
        }
        return null;
    }
}
