package cn.chuanyu.contracts;

/**
 * Data of {@link EventTypes#OPS_DEAD_LETTER_REPLAYED}.
 *
 * @param deadLetterId  the dead letter's id in the operator store
 * @param queue         the queue it was replayed to
 * @param eventId       the id of the event it carried, if it was one
 * @param eventType     that event's type, if known
 * @param operator      who replayed it
 */
public record DeadLetterReplayed(String deadLetterId, String queue, String eventId, String eventType,
        String operator) {
}
