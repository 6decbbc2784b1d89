package cn.chuanyu.contracts;

/** Data of {@link EventTypes#AGENCY_SUSPENDED}. {@code by} is the operator who acted. */
public record AgencySuspended(String agencyId, String reason, String by) {
}
