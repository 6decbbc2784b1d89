package cn.chuanyu.contracts;

/** Broker names shared by publishers and consumers. */
public final class Messaging {

    /** Durable topic exchange every service publishes its events to; the routing key is the event type. */
    public static final String EVENTS_EXCHANGE = "chuanyu.events";

    /** The audit trail's queue: bound to every event type, declared by every publisher so no event misses it. */
    public static final String AUDIT_QUEUE = "audit-service.events";

    /** Binding pattern that matches every event type. */
    public static final String ALL_EVENTS = "#";

    /** Message header carrying the event type, so consumers can route without parsing the body. */
    public static final String HEADER_EVENT_TYPE = "cy-event-type";

    /** Message header carrying the correlation id of the request that caused the event. */
    public static final String HEADER_CORRELATION_ID = "cy-correlation-id";

    /**
     * Message header naming the producer whose outbox numbered the event (the publishing service's name; all
     * instances of one service share its database and therefore one numbering).
     */
    public static final String HEADER_PRODUCER = "cy-producer";

    /**
     * Message header carrying the producer's sequence number of the event: 1, 2, 3, ... without gaps, assigned
     * once at first publish and kept on every retry, so a consumer can tell when an event never arrived.
     */
    public static final String HEADER_PRODUCER_SEQ = "cy-producer-seq";

    /**
     * Two-region deployments. An event that crosses to the peer region carries {@link #HEADER_LINK_TO} (the peer's
     * region, "SC" or "CQ"); the headers exchange {@link #LINK_EXCHANGE}, bound to {@link #EVENTS_EXCHANGE} with
     * {@code #}, routes it to the queue {@code chuanyu.link.to-<peer>} ({@link #linkOutQueue}), which a RabbitMQ
     * Shovel moves to the peer's broker, into its {@link #LINK_IN_EXCHANGE} (a topic exchange, routing key still
     * the event type). There each consuming service reads its own queue {@code <service>.link-in}. The Shovel
     * publishes as the peer's link user, so a message's user-id there says "came over the link".
     */
    public static final String LINK_EXCHANGE = "chuanyu.link";

    /** See {@link #LINK_EXCHANGE}: where events from the peer region's node arrive (topic, key = event type). */
    public static final String LINK_IN_EXCHANGE = "chuanyu.link.in";

    /** Header naming the region an event crosses to ("SC" or "CQ"). */
    public static final String HEADER_LINK_TO = "cy-link-to";

    /**
     * Header numbering the events of one exchange that cross the link, 1, 2, 3 ...: the receiving node applies an
     * exchange's events in this order, holding a later one until the earlier ones arrived.
     */
    public static final String HEADER_LINK_SEQ = "cy-link-seq";

    /** The queue on a node's broker holding what waits to cross to {@code peerRegion}. */
    public static String linkOutQueue(String peerRegion) {
        return "chuanyu.link.to-" + peerRegion.toLowerCase(java.util.Locale.ROOT);
    }

    /** The case-transfer service's queue of events from the peer region's node. */
    public static final String CASE_TRANSFER_LINK_QUEUE = "case-transfer-service.link-in";

    /** The evidence service's queue of events from the peer region's node. */
    public static final String EVIDENCE_LINK_QUEUE = "evidence-exchange-service.link-in";

    /** The case-transfer service's queue of agency registry events. */
    public static final String CASE_TRANSFER_AGENCIES_QUEUE = "case-transfer-service.agencies";

    /** The evidence service's queue of agency registry events. */
    public static final String EVIDENCE_AGENCIES_QUEUE = "evidence-exchange-service.agencies";

    /** The case-transfer service's queue of {@code evidence.sealed} events (the packages completions may name). */
    public static final String CASE_TRANSFER_SEALED_PACKAGES_QUEUE = "case-transfer-service.evidence-sealed";

    /** Every consumer queue of the platform (each has retry queues and a {@code .dlq} beside it). */
    public static final java.util.List<String> CONSUMER_QUEUES = java.util.List.of(AUDIT_QUEUE,
            CASE_TRANSFER_AGENCIES_QUEUE, CASE_TRANSFER_SEALED_PACKAGES_QUEUE, EVIDENCE_AGENCIES_QUEUE);

    private Messaging() {
    }
}
