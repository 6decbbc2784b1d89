package cn.chuanyu.audit.messaging;

import java.util.LinkedHashMap;
import java.util.Map;

import cn.chuanyu.contracts.Messaging;
import cn.chuanyu.kit.messaging.PublisherIdentity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpRejectAndDontRequeueException;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Which broker user may publish as which producer ({@code chuanyu.audit.publishers}:
 * {@code user=producer,user=producer}). An event's producer is the one its verified AMQP {@code user-id} maps to,
 * never what its {@code cy-producer} header claims: a message without a {@code user-id}, from a user not listed, or
 * claiming another producer than its user's is refused (dead-lettered with the reason).
 * <p>
 * Without the setting (a developer's broker where everything runs as guest) the header is believed, and start-up
 * says so; the launch recipe always sets it.
 */
@Component
class TrustedPublishers {

    private static final Logger log = LoggerFactory.getLogger(TrustedPublishers.class);

    private final Map<String, String> producerByUser;
    private final String ownUser;

    @Autowired
    TrustedPublishers(@Value("${chuanyu.audit.publishers:}") String publishers, ConnectionFactory connectionFactory) {
        this(parse(publishers), connectionFactory.getUsername());
    }

    TrustedPublishers(Map<String, String> producerByUser, String ownUser) {
        this.producerByUser = Map.copyOf(producerByUser);
        this.ownUser = ownUser;
        if (this.producerByUser.isEmpty()) {
            log.warn("chuanyu.audit.publishers is not set: the audit trail believes the cy-producer header of any "
                    + "publisher (development only; the launch recipe gives each service its own broker user)");
        }
    }

    static Map<String, String> parse(String publishers) {
        Map<String, String> map = new LinkedHashMap<>();
        if (publishers == null) {
            return map;
        }
        for (String pair : publishers.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0 || eq == pair.length() - 1) {
                throw new IllegalArgumentException("chuanyu.audit.publishers: '" + pair.strip()
                        + "' is not user=producer");
            }
            map.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
        }
        return map;
    }

    /**
     * The producer of a received event.
     *
     * @throws AmqpRejectAndDontRequeueException when no verified user vouches for the producer it claims
     */
    String producerOf(MessageProperties properties) {
        String claimed = properties.getHeader(Messaging.HEADER_PRODUCER) instanceof String s && !s.isBlank() ? s
                : null;
        if (producerByUser.isEmpty()) {
            return claimed;
        }
        String user = PublisherIdentity.firstPublisher(properties, ownUser);
        if (user == null) {
            throw new AmqpRejectAndDontRequeueException("unverified publisher: no user-id vouches for the sender"
                    + (claimed == null ? "" : " (it claims producer " + claimed + ")"));
        }
        String producer = producerByUser.get(user);
        if (producer == null) {
            throw new AmqpRejectAndDontRequeueException("unverified publisher: broker user " + user
                    + " publishes no audited events" + (claimed == null ? "" : " (it claims producer " + claimed + ")"));
        }
        if (claimed != null && !claimed.equals(producer)) {
            throw new AmqpRejectAndDontRequeueException("forged producer: the message claims " + claimed
                    + " but was published by broker user " + user + " (producer " + producer + ")");
        }
        return producer;
    }
}
