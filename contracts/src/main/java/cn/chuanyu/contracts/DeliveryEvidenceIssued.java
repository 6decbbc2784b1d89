package cn.chuanyu.contracts;

/**
 * Data of {@link EventTypes#EVIDENCE_EVIDENCE_ISSUED} and {@link EventTypes#EVIDENCE_EVIDENCE_RECEIVED}: one
 * delivery evidence, as {@code GET .../evidences} lists it. {@code note} is a C2SP signed note by the issuing
 * node's key (format in docs/two-regions.md); {@code time} is the exact instant its text states (ISO-8601 UTC).
 */
public record DeliveryEvidenceIssued(String type, String exchangeId, String issuer, String time, String note) {
}
