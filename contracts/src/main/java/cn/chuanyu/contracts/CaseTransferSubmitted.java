package cn.chuanyu.contracts;

/** Data of {@link EventTypes#CASE_TRANSFER_SUBMITTED}. Times are ISO-8601 instants. */
public record CaseTransferSubmitted(String caseNumber, String title, String caseType, String reason,
        String decisionDueAt) {
}
