package cn.chuanyu.contracts;

/** Data of {@link EventTypes#CASE_TRANSFER_OVERDUE} and {@link EventTypes#ASSISTANCE_OVERDUE}. */
public record ExchangeOverdue(String state, String dueAt, String waitingFor) {
}
