package cn.chuanyu.contracts;

/**
 * Data of {@link EventTypes#OPS_DEAD_LETTER_DISCARDED}.
 *
 * @param deadLetterId  the dead letter's id in the operator store
 * @param queue         the queue it had failed on
 * @param eventId       the id of the event it carried, if it was one
 * @param eventType     that event's type, if known
 * @param operator      who discarded it
 * @param reason        why
 */
public record DeadLetterDiscarded(String deadLetterId, String queue, String eventId, String eventType,
        String operator, String reason) {
}
