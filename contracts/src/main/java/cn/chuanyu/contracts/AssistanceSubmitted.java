package cn.chuanyu.contracts;

/** Data of {@link EventTypes#ASSISTANCE_SUBMITTED}. */
public record AssistanceSubmitted(String type, String subject, String caseTransferId, String dueAt) {
}
