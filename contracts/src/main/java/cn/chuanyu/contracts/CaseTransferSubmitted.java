package cn.chuanyu.contracts;

/**
 * Data of {@link EventTypes#CASE_TRANSFER_SUBMITTED}. Times are ISO-8601 instants. {@code summary} (optional) travels
 * too: in two-region mode this event is what the recipient's node builds its replica from.
 */
public record CaseTransferSubmitted(String caseNumber, String title, String caseType, String reason,
        String decisionDueAt, String summary) {
}
