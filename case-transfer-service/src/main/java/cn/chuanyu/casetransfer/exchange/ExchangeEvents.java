package cn.chuanyu.casetransfer.exchange;

import cn.chuanyu.casetransfer.inbox.Inbox;
import cn.chuanyu.contracts.EventEnvelope;
import cn.chuanyu.kit.outbox.Outbox;
import org.springframework.stereotype.Component;

/**
 * Records a transition's event: an outbox row (relayed to the bus later) and an entry in the inbox of each agency it
 * concerns, in the caller's transaction, so all commit together with the change.
 */
@Component
public class ExchangeEvents {

    private final Outbox outbox;
    private final Inbox inbox;

    ExchangeEvents(Outbox outbox, Inbox inbox) {
        this.outbox = outbox;
        this.inbox = inbox;
    }

    public EventEnvelope record(Transition<?> transition, String subject, String fromAgency, String toAgency) {
        EventEnvelope event = outbox.append(transition.eventType(), subject, fromAgency, toAgency,
                transition.data());
        inbox.deliver(event, transition.addressees());
        return event;
    }
}
