package cn.chuanyu.contracts;

/** Data of {@link EventTypes#CASE_TRANSFER_SUBMITTED}. */
public record CaseTransferSubmitted(String caseNumber, String title, String caseType, String reason) {
}
