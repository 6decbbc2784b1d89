package cn.chuanyu.contracts;

/**
 * Data of {@link EventTypes#CASE_TRANSFER_EVIDENCE_ISSUED} and {@link EventTypes#ASSISTANCE_EVIDENCE_ISSUED}: a
 * delivery evidence as the API lists it; {@code note} is the C2SP signed note by the issuing node's key
 * (docs/two-regions.md), which the receiving node verifies against the issuer's pinned key.
 */
public record DeliveryEvidenceIssued(String type, String exchangeId, String issuer, String time, String note) {
}
