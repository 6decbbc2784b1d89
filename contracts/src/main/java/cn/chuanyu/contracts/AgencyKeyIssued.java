package cn.chuanyu.contracts;

/**
 * Data of {@link EventTypes#AGENCY_KEY_ISSUED}: the key's id only, never the key. {@code expiresAt} is an ISO-8601
 * instant or null for a key without expiry; {@code by} is the operator who acted.
 */
public record AgencyKeyIssued(String agencyId, String keyId, String expiresAt, String by) {
}
