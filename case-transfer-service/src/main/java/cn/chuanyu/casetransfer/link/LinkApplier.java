package cn.chuanyu.casetransfer.link;

import java.util.List;
import java.util.Optional;

import cn.chuanyu.casetransfer.deliveryevidence.DeliveryEvidences;
import cn.chuanyu.casetransfer.exchange.CrossBorder;
import cn.chuanyu.casetransfer.exchange.LinkedExchange;
import cn.chuanyu.contracts.EventEnvelope;
import org.springframework.amqp.AmqpRejectAndDontRequeueException;
import org.springframework.stereotype.Component;

/**
 * What one event of the peer node does here, by type: a submission makes the recipient's replica (and this node's
 * RELAY_ACCEPTED and DELIVERED evidences), a forwarded action goes to the state machine this node decides with, an
 * evidence is kept, anything else about the exchange (an outcome, an overdue, a refusal) updates the replica.
 */
@Component
class LinkApplier {

    private final List<LinkedExchange> exchanges;
    private final DeliveryEvidences evidences;
    private final CrossBorder border;

    LinkApplier(List<LinkedExchange> exchanges, DeliveryEvidences evidences, CrossBorder border) {
        this.exchanges = exchanges;
        this.evidences = evidences;
        this.border = border;
    }

    /** Why the event can never be applied here (checked on arrival, before it takes its place in the order). */
    Optional<String> refusal(EventEnvelope event) {
        LinkedExchange kind = kindOf(event);
        if (event.type().equals(kind.eventPrefix() + ".evidence-issued")) {
            return evidences.refusal(event);
        }
        return Optional.empty();
    }

    void apply(EventEnvelope event) {
        LinkedExchange kind = kindOf(event);
        String what = event.type().substring(kind.eventPrefix().length() + 1);
        switch (what) {
            case "submitted" -> {
                kind.storeReplica(event, border.peerRegion().orElseThrow());
                evidences.replicaDelivered(kind.eventPrefix(), event);
            }
            case "action-requested" -> kind.applyForwardedAction(event);
            case "evidence-issued" -> evidences.received(event);
            default -> kind.applyOriginEvent(event);
        }
    }

    private LinkedExchange kindOf(EventEnvelope event) {
        return exchanges.stream().filter(x -> event.type().startsWith(x.eventPrefix() + "."))
                .findFirst()
                .orElseThrow(() -> new AmqpRejectAndDontRequeueException("refused: " + event.type() + " "
                        + event.id() + " is no event of a transfer or assistance request"));
    }
}
