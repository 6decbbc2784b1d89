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

    private Messaging() {
    }
}
