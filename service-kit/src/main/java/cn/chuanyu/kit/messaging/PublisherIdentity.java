package cn.chuanyu.kit.messaging;

import org.springframework.amqp.core.MessageProperties;

/**
 * Who published a message, as the broker vouches for it. Every message the kit sends carries the AMQP
 * {@code user-id} of its connection, and RabbitMQ refuses a {@code user-id} that differs from the connection's user,
 * so a received {@code user-id} names the account that sent it. A message a service republishes (a retry, a
 * dead-letter replay) arrives with that service's own {@code user-id}; the account that first sent it then travels
 * in {@link #FIRST_PUBLISHER}, which is believed only on a message whose {@code user-id} is the reader's own (no
 * other account can publish with it, and this service writes the header only from what it verified). An empty
 * header says the first sender was unknown (it sent no {@code user-id}), so a replay does not make it this service's.
 */
public final class PublisherIdentity {

    /** The broker user that first published a message this service republishes. */
    public static final String FIRST_PUBLISHER = "x-chuanyu-first-publisher";

    private PublisherIdentity() {
    }

    /**
     * The broker user that first published the received message, or null when nobody vouches for one (it came
     * without a {@code user-id}).
     *
     * @param ownUser the broker user this service connects as
     */
    public static String firstPublisher(MessageProperties received, String ownUser) {
        String userId = received.getReceivedUserId();
        if (userId == null || userId.isBlank()) {
            return null;
        }
        if (userId.equals(ownUser) && received.getHeader(FIRST_PUBLISHER) instanceof String first) {
            return first.isBlank() ? null : first;
        }
        return userId;
    }

    /**
     * Marks an outgoing message as this service's: its {@code user-id} is the connection's user, and a received
     * message being republished keeps the user that first published it in {@link #FIRST_PUBLISHER}.
     */
    static void stamp(MessageProperties outgoing, String ownUser) {
        if (outgoing.getReceivedExchange() != null) { // received, now republished
            outgoing.setHeader(FIRST_PUBLISHER, headerValue(firstPublisher(outgoing, ownUser)));
        }
        outgoing.setUserId(ownUser);
    }

    /** The {@link #FIRST_PUBLISHER} header for a first publisher, or for none known. */
    public static String headerValue(String firstPublisher) {
        return firstPublisher == null ? "" : firstPublisher;
    }
}
