package cn.chuanyu.contracts;

/**
 * Data of {@link EventTypes#CASE_TRANSFER_ACCEPTED}, {@link EventTypes#CASE_TRANSFER_REJECTED} and
 * {@link EventTypes#CASE_TRANSFER_WITHDRAWN}: who acted and why (the note of an acceptance, the reason of a
 * rejection or withdrawal).
 */
public record CaseTransferDecided(String caseNumber, String state, String actor, String reason) {
}
