package cn.chuanyu.casetransfer.link;

import java.util.Optional;

import cn.chuanyu.contracts.EventEnvelope;
import cn.chuanyu.contracts.Messaging;
import cn.chuanyu.kit.consumer.EventMessages;
import cn.chuanyu.kit.consumer.IdempotentConsumer;
import cn.chuanyu.kit.messaging.ConfirmedPublisher;
import cn.chuanyu.kit.messaging.PublisherIdentity;
import org.springframework.amqp.AmqpRejectAndDontRequeueException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Takes the peer node's events off {@code case-transfer-service.link-in}. Only what the link's Shovel published
 * counts: RabbitMQ vouches for a message's user-id (it must be the publishing connection's user), and the Shovel
 * publishes as {@code chuanyu.link.user}; anything else is dead-lettered with the reason. A message that failed and
 * comes back from the kit's retry queue (or a dead-letter replay) was republished by this service's own user, so
 * its first publisher is checked instead ({@link PublisherIdentity#firstPublisher}: the preserved header is believed
 * only under this service's own user-id, which nobody else can publish with). Each event is taken once
 * (by id) and applied in its exchange's link order by {@link LinkOrdering}.
 */
@Component
@ConditionalOnExpression(LinkInConfiguration.TWO_REGIONS)
class LinkInListener {

    private final IdempotentConsumer consumer;
    private final LinkOrdering ordering;
    private final LinkApplier applier;
    private final TransactionTemplate tx;
    private final String linkUser;
    private final String ownUser;

    LinkInListener(IdempotentConsumer consumer, LinkOrdering ordering, LinkApplier applier, TransactionTemplate tx,
            @Value("${chuanyu.link.user:}") String linkUser, ConfirmedPublisher publisher) {
        if (linkUser.isBlank()) {
            throw new IllegalStateException("chuanyu.link.user (CHUANYU_LINK_USER) must name the broker user the "
                    + "peer's Shovel publishes as on this node");
        }
        this.consumer = consumer;
        this.ordering = ordering;
        this.applier = applier;
        this.tx = tx;
        this.linkUser = linkUser;
        this.ownUser = publisher.user();
    }

    @RabbitListener(queues = Messaging.CASE_TRANSFER_LINK_QUEUE)
    void onMessage(Message message) {
        String publisher = PublisherIdentity.firstPublisher(message.getMessageProperties(), ownUser);
        if (!linkUser.equals(publisher)) {
            throw new AmqpRejectAndDontRequeueException("refused: user-id " + (publisher == null ? "(none)" : publisher)
                    + " is not the link user; only the link may bring the peer node's events");
        }
        EventEnvelope event = EventMessages.read(message);
        long seq = linkSeq(message, event);
        Optional<String> refusal = applier.refusal(event);
        consumer.handleOnce(Messaging.CASE_TRANSFER_LINK_QUEUE, event,
                e -> ordering.receive(e, seq, refusal.orElse(null)));
        if (refusal.isPresent()) {
            // Its place in the exchange's order is kept (passed over), so the later events still apply.
            throw new AmqpRejectAndDontRequeueException("refused: " + refusal.get());
        }
    }

    private static long linkSeq(Message message, EventEnvelope event) {
        Object header = message.getMessageProperties().getHeader(Messaging.HEADER_LINK_SEQ);
        try {
            long seq = header instanceof Number n ? n.longValue() : Long.parseLong(String.valueOf(header).trim());
            if (seq >= 1) {
                return seq;
            }
        }
        catch (NumberFormatException ex) {
            // falls through to the refusal
        }
        throw new AmqpRejectAndDontRequeueException("refused: " + event.type() + " " + event.id() + " has no "
                + Messaging.HEADER_LINK_SEQ + " (got " + header + "): it cannot be put in its exchange's order");
    }
}
