package cn.chuanyu.casetransfer.exchange;

import cn.chuanyu.casetransfer.inbox.Inbox;
import cn.chuanyu.contracts.EventEnvelope;
import cn.chuanyu.kit.outbox.Outbox;
import org.springframework.stereotype.Component;

/**
 * Publishes a transition's event to the bus (outbox) and to the inboxes of the agencies it concerns, in the
 * caller's transaction: all three commit together with the change.
 */
@Component
public class ExchangeEvents {

    private final Outbox outbox;
    private final Inbox inbox;

    ExchangeEvents(Outbox outbox, Inbox inbox) {
        this.outbox = outbox;
        this.inbox = inbox;
    }

    public EventEnvelope publish(Transition<?> transition, String subject, String fromAgency, String toAgency) {
        EventEnvelope event = outbox.append(transition.eventType(), subject, fromAgency, toAgency,
                transition.data());
        inbox.deliver(event, transition.addressees());
        return event;
    }
}
