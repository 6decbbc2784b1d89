package cn.chuanyu.contracts;

/** Data of {@link EventTypes#AGENCY_KEY_REVOKED}. {@code by} is the operator who acted. */
public record AgencyKeyRevoked(String agencyId, String keyId, String by) {
}
