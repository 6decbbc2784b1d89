package cn.chuanyu.kit.agency;

import java.util.Optional;

import cn.chuanyu.contracts.AgencyReactivated;
import cn.chuanyu.contracts.AgencyRegistered;
import cn.chuanyu.contracts.AgencySuspended;
import cn.chuanyu.contracts.EventEnvelope;
import cn.chuanyu.contracts.EventTypes;
import cn.chuanyu.contracts.Messaging;
import cn.chuanyu.contracts.Region;
import cn.chuanyu.kit.consumer.EventMessages;
import cn.chuanyu.kit.consumer.IdempotentConsumer;
import cn.chuanyu.kit.json.Json;
import cn.chuanyu.kit.messaging.PublisherIdentity;
import cn.chuanyu.kit.node.NodeIdentity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpRejectAndDontRequeueException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.annotation.RabbitListener;

/**
 * Keeps the service's agency directory in step with the gateway's registry and, in two-region mode, with the peer
 * node's registry, whose {@code agency.registered|suspended|reactivated} events arrive over the link.
 * <p>
 * Who may speak for an agency (two-region mode): the peer's agencies only the link (the AMQP user-id
 * {@code chuanyu.link.user}, which the broker vouches for and the peer's Shovel publishes as), and the link only
 * for the peer's agencies; this node's agencies only the local registry. Anything else is dead-lettered at once
 * with the reason, so a forged or misrouted directory event never makes an agency addressable. On one node every
 * agency is local and nothing changes.
 */
class AgencyEventListener {

    private static final Logger log = LoggerFactory.getLogger(AgencyEventListener.class);

    private final IdempotentConsumer consumer;
    private final AgencyDirectory directory;
    private final String queue;
    private final NodeIdentity node;
    private final String linkUser;
    private final String ownUser;

    AgencyEventListener(IdempotentConsumer consumer, AgencyDirectory directory, String queue, NodeIdentity node,
            String linkUser, String ownUser) {
        this.consumer = consumer;
        this.directory = directory;
        this.queue = queue;
        this.node = node;
        this.linkUser = linkUser == null ? "" : linkUser;
        this.ownUser = ownUser;
    }

    @RabbitListener(queues = "${" + AgencyDirectoryAutoConfiguration.QUEUE_PROPERTY + "}")
    void onEvent(Message message) {
        EventEnvelope received = EventMessages.read(message);
        Source source = source(message.getMessageProperties());
        consumer.handleOnce(queue, received, event -> {
            switch (event.type()) {
                case EventTypes.AGENCY_REGISTERED -> {
                    AgencyRegistered agency = Json.fromMap(event.data(), AgencyRegistered.class);
                    checkSpeaker(event, agency.agencyId(), Optional.of(agency.region()), source);
                    if (!source.overLink()) {
                        directory.register(agency);
                    }
                    else if (!directory.registerFromPeer(agency)) {
                        // The region the message claims was checked above; the stored one is what decides whose
                        // agency it is, and the link may not move one of ours (or anyone's) into the peer region.
                        throw new AmqpRejectAndDontRequeueException(event.type() + " over the link for agency '"
                                + agency.agencyId() + "' as region " + agency.region() + ", but this node holds it "
                                + "as region " + directory.region(agency.agencyId()).map(Enum::name).orElse("?")
                                + ": the link may not change an agency's region");
                    }
                }
                case EventTypes.AGENCY_SUSPENDED -> {
                    String agency = Json.fromMap(event.data(), AgencySuspended.class).agencyId();
                    checkSpeaker(event, agency, directory.region(agency), source);
                    boolean changed = directory.changeState(agency, AgencyState.SUSPENDED, event.time(),
                            onlyOfPeer(source));
                    log.info("agency {} suspended{}", agency, changed ? "" : " (unknown here, or older news)");
                }
                case EventTypes.AGENCY_REACTIVATED -> {
                    String agency = Json.fromMap(event.data(), AgencyReactivated.class).agencyId();
                    checkSpeaker(event, agency, directory.region(agency), source);
                    boolean changed = directory.changeState(agency, AgencyState.ACTIVE, event.time(),
                            onlyOfPeer(source));
                    log.info("agency {} reactivated{}", agency, changed ? "" : " (unknown here, or older news)");
                }
                default -> {
                    // keys and certificates are the gateway's business (and never the peer's)
                }
            }
        });
    }

    /**
     * Whether the message came over the link: its first publisher (the user-id, or for a retry we republished, the
     * one we recorded) is the link user. A message that reached us through the link exchange from anyone else is
     * refused: only the peer's Shovel may publish there.
     */
    private Source source(MessageProperties properties) {
        if (!node.twoRegions()) {
            return new Source(null, false);
        }
        String publisher = PublisherIdentity.firstPublisher(properties, ownUser);
        boolean fromLinkUser = !linkUser.isBlank() && linkUser.equals(publisher);
        if (!fromLinkUser && Messaging.LINK_IN_EXCHANGE.equals(properties.getReceivedExchange())) {
            throw new AmqpRejectAndDontRequeueException("agency event on " + Messaging.LINK_IN_EXCHANGE
                    + " published by '" + publisher + "', not by the link user '" + linkUser + "'");
        }
        return new Source(publisher, fromLinkUser);
    }

    /** The region a state change must find stored: the peer's when it came over the link (checked as it writes). */
    private Region onlyOfPeer(Source source) {
        return source.overLink() ? node.peerRegion().orElseThrow() : null;
    }

    /** Who published a directory event, and whether that makes it the peer registry's word. */
    private record Source(String publisher, boolean overLink) {
    }

    private void checkSpeaker(EventEnvelope event, String agencyId, Optional<Region> region, Source source) {
        boolean overLink = source.overLink();
        if (!node.twoRegions()) {
            return;
        }
        Region peer = node.peerRegion().orElseThrow();
        if (region.isEmpty()) {
            if (overLink) {
                // Its registration crosses before it (one queue, in order), so this is rare; retried, then kept in
                // the dead letters for an operator rather than applied to an agency whose region nobody checked.
                throw new IllegalStateException(event.type() + " over the link for agency '" + agencyId
                        + "', which this node has not heard of: its region cannot be checked yet");
            }
            return; // unknown here and local: changes nothing, as on one node
        }
        if (overLink && region.get() != peer) {
            throw new AmqpRejectAndDontRequeueException(event.type() + " over the link names agency '" + agencyId
                    + "' of region " + region.get() + ": the link speaks only for agencies of the peer region "
                    + peer);
        }
        if (!overLink && region.get() == peer) {
            throw new AmqpRejectAndDontRequeueException(event.type() + " for agency '" + agencyId
                    + "' of the peer region " + peer + " did not come over the link (publisher '"
                    + source.publisher() + "'): only the link user '" + linkUser
                    + "' may announce the peer's agencies");
        }
    }
}
