package cn.chuanyu.casetransfer.exchange;

import java.util.List;

import cn.chuanyu.casetransfer.inbox.Inbox;
import cn.chuanyu.contracts.EventEnvelope;
import cn.chuanyu.kit.outbox.LinkRoute;
import cn.chuanyu.kit.outbox.Outbox;
import org.springframework.stereotype.Component;

/**
 * Records a transition's event: an outbox row (relayed to the bus later) and an entry in the inbox of each agency it
 * concerns, in the caller's transaction, so all commit together with the change.
 * <p>
 * Two regions: an event this node makes about an exchange with a party in the peer region crosses the link (a
 * {@link LinkRoute} with the exchange's next link sequence number); an event received over the link is recorded
 * here again, for this node's audit log and its agencies' inboxes, but never crosses back. Inbox entries go only
 * to agencies served by this node.
 */
@Component
public class ExchangeEvents {

    private final Outbox outbox;
    private final Inbox inbox;
    private final CrossBorder border;

    ExchangeEvents(Outbox outbox, Inbox inbox, CrossBorder border) {
        this.outbox = outbox;
        this.inbox = inbox;
        this.border = border;
    }

    public EventEnvelope record(Transition<?> transition, String subject, String fromAgency, String toAgency) {
        return record(transition.eventType(), subject, fromAgency, toAgency, transition.data(),
                transition.addressees());
    }

    /** An event this node makes about an exchange; it crosses when the exchange does. */
    public EventEnvelope record(String type, String subject, String fromAgency, String toAgency, Object data,
            List<String> addressees) {
        LinkRoute route = border.crosses(fromAgency, toAgency) ? border.nextRoute(subject) : null;
        EventEnvelope event = outbox.append(type, subject, fromAgency, toAgency, data, route);
        inbox.deliver(event, border.local(addressees));
        return event;
    }

    /**
     * An event the peer node made, applied here: recorded again (same type, exchange, parties and data; this
     * node's own event id) so this node's audit log and its agencies' inboxes hold it, without a link route.
     */
    public EventEnvelope recordReceived(EventEnvelope received, List<String> addressees) {
        EventEnvelope event = outbox.append(received.type(), received.subject(), received.fromAgency(),
                received.toAgency(), received.data());
        inbox.deliver(event, border.local(addressees));
        return event;
    }
}
