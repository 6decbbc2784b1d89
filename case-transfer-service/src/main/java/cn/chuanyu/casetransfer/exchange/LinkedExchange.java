package cn.chuanyu.casetransfer.exchange;

import cn.chuanyu.contracts.EventEnvelope;

/**
 * A kind of exchange (transfers, assistance requests) as the link applies the peer node's events to it, in the
 * exchange's link order, inside the link consumer's transaction. The origin node decides an exchange's state; the
 * destination keeps a replica (docs/two-regions.md).
 */
public interface LinkedExchange {

    /** The kind's event type prefix, e.g. {@code case-transfer}: its events are {@code <prefix>.<what>}. */
    String eventPrefix();

    /** The exchange's parties and origin as this node holds them; empty when it holds no exchange of that id. */
    java.util.Optional<ExchangeParties> parties(java.util.UUID id);

    /**
     * Destination: stores the replica of an exchange submitted at the origin and delivers it to the recipient; false
     * when the recipient is not active here (suspended on its own node): the replica is kept but not delivered.
     */
    boolean storeReplica(EventEnvelope submitted, String originRegion);

    /** Destination: applies a later event of the origin (an outcome, an overdue, a refused action). */
    void applyOriginEvent(EventEnvelope event);

    /**
     * Origin: applies a recipient's action forwarded by the destination through the same state machine as a local
     * recipient's, or records its refusal; either crosses back.
     */
    void applyForwardedAction(EventEnvelope requested);
}
