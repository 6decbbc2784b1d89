package cn.chuanyu.casetransfer.link;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import cn.chuanyu.casetransfer.deliveryevidence.DeliveryEvidences;
import cn.chuanyu.casetransfer.exchange.CrossBorder;
import cn.chuanyu.casetransfer.exchange.ExchangeParties;
import cn.chuanyu.casetransfer.exchange.LinkedExchange;
import cn.chuanyu.contracts.EventEnvelope;
import cn.chuanyu.contracts.ExchangeActionRequested;
import cn.chuanyu.kit.json.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpRejectAndDontRequeueException;
import org.springframework.stereotype.Component;

/**
 * What one event of the peer node does here, by type: a submission makes the recipient's replica (and this node's
 * RELAY_ACCEPTED and DELIVERED evidences), a forwarded action goes to the state machine this node decides with, an
 * evidence is kept, anything else about the exchange (an outcome, an overdue, a refusal) updates the replica.
 * <p>
 * The peer is trusted with what it decides, nothing more: a submission only from one of its agencies to one of this
 * node's; an outcome only of an exchange it decides, with the parties this node holds; a forwarded action only by
 * the peer-region recipient of an exchange this node decides. Anything else is refused, never applied.
 */
@Component
class LinkApplier {

    private static final Logger log = LoggerFactory.getLogger(LinkApplier.class);

    private final List<LinkedExchange> exchanges;
    private final DeliveryEvidences evidences;
    private final CrossBorder border;

    LinkApplier(List<LinkedExchange> exchanges, DeliveryEvidences evidences, CrossBorder border) {
        this.exchanges = exchanges;
        this.evidences = evidences;
        this.border = border;
    }

    /**
     * Why the event can never be applied here (checked on arrival, before it takes its place in the order, so a
     * refused event passes its place over and is dead-lettered). An outcome of an exchange not known yet is let in:
     * its submission may still be on its way; {@link #apply} checks it again in its turn.
     */
    Optional<String> refusal(EventEnvelope event) {
        LinkedExchange kind = kindOf(event);
        if (event.type().equals(kind.eventPrefix() + ".evidence-issued")) {
            return evidences.refusal(event);
        }
        return check(kind, event, true);
    }

    void apply(EventEnvelope event) {
        LinkedExchange kind = kindOf(event);
        String what = event.type().substring(kind.eventPrefix().length() + 1);
        if (!what.equals("evidence-issued")) {
            // Again in the event's turn: what it refers to may have arrived (or not) since it was checked.
            Optional<String> refused = check(kind, event, false);
            if (refused.isPresent()) {
                log.warn("{} {} of {} from the peer node not applied: {}", event.type(), event.id(), event.subject(),
                        refused.get());
                return;
            }
        }
        switch (what) {
            case "submitted" -> {
                if (kind.parties(UUID.fromString(event.subject())).isPresent()) {
                    log.info("{} {}: the replica of {} is stored already", event.type(), event.id(), event.subject());
                    return;
                }
                boolean delivered = kind.storeReplica(event, border.peerRegion().orElseThrow());
                evidences.replicaDelivered(kind.eventPrefix(), event, delivered);
            }
            case "action-requested" -> kind.applyForwardedAction(event);
            case "evidence-issued" -> evidences.received(event);
            default -> kind.applyOriginEvent(event);
        }
    }

    private Optional<String> check(LinkedExchange kind, EventEnvelope event, boolean arriving) {
        UUID id;
        try {
            id = UUID.fromString(event.subject());
        }
        catch (RuntimeException ex) {
            return Optional.of(event.type() + " " + event.id() + " names no exchange id: " + event.subject());
        }
        String peer = border.peerRegion().orElse(null);
        Optional<ExchangeParties> held = kind.parties(id);
        String what = event.type().substring(kind.eventPrefix().length() + 1);
        String about = event.type() + " " + event.id() + " of " + id + ": ";
        if (what.equals("submitted")) {
            if (arriving) {
                border.requireKnown(event.fromAgency());
            }
            if (!border.isPeer(event.fromAgency())) {
                return Optional.of(about + "sender " + event.fromAgency() + " is no agency of the peer region");
            }
            if (!border.isLocal(event.toAgency())) {
                return Optional.of(about + "recipient " + event.toAgency() + " is no agency of this node's region");
            }
            // The identical replica again is a duplicate (apply passes it over); anything else takes another's id.
            if (held.isPresent() && !(Objects.equals(held.get().originRegion(), peer)
                    && sameParties(held.get(), event))) {
                return Optional.of(about + "this node holds another exchange of that id");
            }
            return Optional.empty();
        }
        if (what.equals("action-requested")) {
            if (held.isEmpty()) {
                return Optional.of(about + "no exchange of that id is decided here");
            }
            ExchangeParties p = held.get();
            if (!p.decidedHere()) {
                return Optional.of(about + "the exchange is decided by the " + p.originRegion() + " node, not here");
            }
            if (!border.isPeer(p.toAgency())) {
                return Optional.of(about + "its recipient " + p.toAgency() + " is not served by the peer node");
            }
            if (!sameParties(p, event)) {
                return Optional.of(about + "names parties " + event.fromAgency() + " -> " + event.toAgency()
                        + ", the exchange's are " + p.fromAgency() + " -> " + p.toAgency());
            }
            String actor;
            try {
                actor = Json.fromMap(event.data(), ExchangeActionRequested.class).actor();
            }
            catch (RuntimeException ex) {
                return Optional.of(about + "not a forwarded action: " + ex.getMessage());
            }
            if (!p.toAgency().equals(actor)) {
                return Optional.of(about + "actor " + actor + " is not the recipient " + p.toAgency());
            }
            return Optional.empty();
        }
        // An outcome, overdue or refusal: the origin's word about its own exchange.
        if (held.isEmpty()) {
            return arriving ? Optional.empty() : Optional.of(about + "this node holds no replica of it");
        }
        ExchangeParties p = held.get();
        if (p.decidedHere() || !p.originRegion().equals(peer)) {
            return Optional.of(about + "the exchange is not decided by the peer node"
                    + (p.decidedHere() ? " (this node decides it)" : ""));
        }
        if (!sameParties(p, event)) {
            return Optional.of(about + "names parties " + event.fromAgency() + " -> " + event.toAgency()
                    + ", the exchange's are " + p.fromAgency() + " -> " + p.toAgency());
        }
        return Optional.empty();
    }

    private static boolean sameParties(ExchangeParties held, EventEnvelope event) {
        return held.fromAgency().equals(event.fromAgency()) && held.toAgency().equals(event.toAgency());
    }

    private LinkedExchange kindOf(EventEnvelope event) {
        return exchanges.stream().filter(x -> event.type().startsWith(x.eventPrefix() + "."))
                .findFirst()
                .orElseThrow(() -> new AmqpRejectAndDontRequeueException("refused: " + event.type() + " "
                        + event.id() + " is no event of a transfer or assistance request"));
    }
}
