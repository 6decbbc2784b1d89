package cn.chuanyu.evidence.relay;

import java.time.Clock;
import java.util.UUID;

import cn.chuanyu.contracts.EventEnvelope;
import cn.chuanyu.contracts.Messaging;
import cn.chuanyu.kit.consumer.EventMessages;
import cn.chuanyu.kit.consumer.IdempotentConsumer;
import cn.chuanyu.kit.json.Json;
import cn.chuanyu.kit.messaging.PublisherIdentity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpRejectAndDontRequeueException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.annotation.RabbitListener;

/**
 * Events from the peer region's node ({@code evidence-exchange-service.link-in}, bound to {@code chuanyu.link.in}
 * with {@code evidence.#}). Only what the Shovel brought is taken: its AMQP user-id must be the link user, anything
 * else is dead-lettered at once with the reason. A message that comes back from the kit's retry queue (or a
 * dead-letter replay) was republished by this service's own user: its first publisher is checked instead
 * ({@link PublisherIdentity#firstPublisher}, believed only under this service's own user-id). Each package's events are applied in cy-link-seq order: a later
 * one is held in {@code link_pending} until the earlier ones arrived; a duplicate (same event id, or a seq already
 * applied) is ignored.
 */
class LinkInListener {

    private static final Logger log = LoggerFactory.getLogger(LinkInListener.class);

    static final String CONSUMER = "evidence-exchange-service.link-in";

    private final RelayService relay;
    private final RelayRepository repository;
    private final IdempotentConsumer once;
    private final String linkUser;
    private final String ownUser;
    private final Clock clock;

    LinkInListener(RelayService relay, RelayRepository repository, IdempotentConsumer once, String linkUser,
            String ownUser, Clock clock) {
        if (linkUser == null || linkUser.isBlank()) {
            throw new IllegalStateException("chuanyu.link.user (CHUANYU_LINK_USER) must name the broker user the "
                    + "peer's Shovel publishes as on this node");
        }
        this.relay = relay;
        this.repository = repository;
        this.once = once;
        this.linkUser = linkUser;
        this.ownUser = ownUser;
        this.clock = clock;
    }

    @RabbitListener(queues = Messaging.EVIDENCE_LINK_QUEUE)
    void onMessage(Message message) {
        // The user-id the broker validated against the publisher (the Shovel's user), or for our own republish (a
        // retry, a replay) the first publisher we recorded then.
        String userId = PublisherIdentity.firstPublisher(message.getMessageProperties(), ownUser);
        if (!linkUser.equals(userId)) {
            throw new AmqpRejectAndDontRequeueException("refused: AMQP user-id '" + userId + "' is not the link user "
                    + "'" + linkUser + "'; only the peer's Shovel may send on the link");
        }
        EventEnvelope event = EventMessages.read(message);
        Object header = message.getMessageProperties().getHeader(Messaging.HEADER_LINK_SEQ);
        long seq;
        try {
            seq = header instanceof Number n ? n.longValue() : Long.parseLong(String.valueOf(header));
            UUID.fromString(event.subject());
        }
        catch (RuntimeException ex) {
            throw new AmqpRejectAndDontRequeueException("link event " + event.id() + " has no package subject or "
                    + Messaging.HEADER_LINK_SEQ + " (" + header + ")", ex);
        }
        try {
            once.handleOnce(CONSUMER, event, e -> inOrder(e, seq));
        }
        catch (AmqpRejectAndDontRequeueException refused) {
            // Its transaction rolled back; without its seq marked the package's later events would wait for ever.
            once.handleOnce(CONSUMER, event, e -> passOver(e, seq, refused.getMessage()));
            throw refused;
        }
    }

    /**
     * A refused event's place in its package's order, passed over in a transaction of its own (handleOnce's: the
     * event also counts as taken, so a redelivery is not refused again), so the events after it still apply.
     */
    private void passOver(EventEnvelope event, long seq, String reason) {
        UUID id = UUID.fromString(event.subject());
        Long applied = repository.lockLink(id).map(RelayRepository.PackageLink::inSeq).orElse(null);
        if (applied == null || seq != applied + 1) {
            // No package here (a refused evidence.sealed: nothing follows it), applied already, or not its turn.
            return;
        }
        log.warn("link event {} ({} #{} of package {}) refused, its place passed over: {}", event.id(), event.type(),
                seq, id, reason);
        repository.setInSeq(id, seq);
        applyHeld(event.subject(), id, seq + 1);
    }

    private void inOrder(EventEnvelope event, long seq) {
        UUID id = UUID.fromString(event.subject());
        long applied = repository.lockLink(id).map(RelayRepository.PackageLink::inSeq).orElse(0L);
        if (seq <= applied) {
            log.info("link event {} ({} #{} of package {}) already applied; ignored", event.id(), event.type(), seq, id);
            return;
        }
        if (seq > applied + 1) {
            repository.hold(event.subject(), seq, UUID.fromString(event.id()), Json.write(event), clock.instant());
            log.info("link event {} ({} #{} of package {}) held until #{} arrives", event.id(), event.type(), seq, id,
                    applied + 1);
            return;
        }
        relay.apply(event, seq);
        repository.setInSeq(id, seq);
        applyHeld(event.subject(), id, seq + 1);
    }

    /** Applies the held events from {@code from} on while they follow without a gap. */
    private void applyHeld(String subject, UUID id, long from) {
        for (long next = from; ; next++) {
            String held = repository.takeHeld(subject, next).orElse(null);
            if (held == null) {
                break;
            }
            EventEnvelope event = Json.read(held.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            try {
                relay.apply(event, next);
            }
            catch (AmqpRejectAndDontRequeueException refused) {
                // Its own delivery was acknowledged when it was held: refusing the one that filled the gap would
                // dead-letter a good event and hold this package's later ones for ever. Refusals are decided before
                // anything is written (verification), so the transaction goes on.
                log.warn("held link event {} ({} #{} of package {}) refused, its place passed over: {}", event.id(),
                        event.type(), next, id, refused.getMessage());
            }
            repository.setInSeq(id, next);
        }
    }
}
