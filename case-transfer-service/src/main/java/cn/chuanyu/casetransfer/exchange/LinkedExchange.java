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

    /** Destination: stores the replica of an exchange submitted at the origin and delivers it to the recipient. */
    void storeReplica(EventEnvelope submitted, String originRegion);

    /** Destination: applies a later event of the origin (an outcome, an overdue, a refused action). */
    void applyOriginEvent(EventEnvelope event);

    /**
     * Origin: applies a recipient's action forwarded by the destination through the same state machine as a local
     * recipient's, or records its refusal; either crosses back.
     */
    void applyForwardedAction(EventEnvelope requested);
}
