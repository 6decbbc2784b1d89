package cn.chuanyu.contracts;

/**
 * Data of {@link EventTypes#ASSISTANCE_SUBMITTED}. {@code details} travel too: in two-region mode this event is what
 * the recipient's node builds its replica from.
 */
public record AssistanceSubmitted(String type, String subject, String caseTransferId, String dueAt, String details) {
}
