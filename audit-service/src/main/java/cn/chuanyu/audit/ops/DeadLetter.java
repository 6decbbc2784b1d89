package cn.chuanyu.audit.ops;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A message that reached a consumer's dead-letter queue, as the keeper stored it.
 *
 * @param id             the operator's handle for it
 * @param seq            keeping order (cursor)
 * @param queue          the queue it failed on (where a replay sends it)
 * @param eventId        the event it carries, if the body is one
 * @param type           the event type (from the body or the {@code cy-event-type} header)
 * @param exchangeId     the event's subject
 * @param correlationId  the request that caused it
 * @param reason         why the last attempt failed
 * @param attempts       failed rounds before it was dead-lettered
 * @param deadLetteredAt when it was dead-lettered
 * @param messageId      AMQP message id
 * @param contentType    AMQP content type
 * @param body           the body, byte for byte
 * @param headers        the AMQP headers it arrived with
 * @param state          PENDING, REPLAYED or DISCARDED
 * @param actedAt        when an operator replayed or discarded it
 * @param actedBy        who
 * @param discardReason  why it was discarded
 */
public record DeadLetter(UUID id, long seq, String queue, String eventId, String type, String exchangeId,
        String correlationId, String reason, int attempts, Instant deadLetteredAt, String messageId,
        String contentType, byte[] body, Map<String, Object> headers, String state, Instant actedAt, String actedBy,
        String discardReason) {

    public static final String PENDING = "PENDING";
    public static final String REPLAYED = "REPLAYED";
    public static final String DISCARDED = "DISCARDED";
}
