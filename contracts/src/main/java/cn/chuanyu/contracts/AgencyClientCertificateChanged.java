package cn.chuanyu.contracts;

/**
 * Data of {@link EventTypes#AGENCY_CLIENT_CERTIFICATE_CHANGED}: the certificate subject (RFC 2253) the gateway now
 * maps to the agency, or null when it was removed. {@code by} is the operator who acted.
 */
public record AgencyClientCertificateChanged(String agencyId, String subject, String by) {
}
