package cn.chuanyu.contracts;

/** Data of {@link EventTypes#AGENCY_REACTIVATED}. {@code by} is the operator who acted. */
public record AgencyReactivated(String agencyId, String by) {
}
