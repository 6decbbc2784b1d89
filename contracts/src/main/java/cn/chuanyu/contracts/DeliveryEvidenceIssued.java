package cn.chuanyu.contracts;

/**
 * Data of the {@code *.evidence-issued} events ({@link EventTypes#CASE_TRANSFER_EVIDENCE_ISSUED},
 * {@link EventTypes#ASSISTANCE_EVIDENCE_ISSUED}, {@link EventTypes#EVIDENCE_EVIDENCE_ISSUED}) and of
 * {@link EventTypes#EVIDENCE_EVIDENCE_RECEIVED}: one delivery evidence as {@code GET .../evidences} lists it.
 * {@code note} is a C2SP signed note by the issuing node's key (docs/two-regions.md), which the receiving node
 * verifies against the issuer's pinned key; {@code time} is the instant its text states (ISO-8601 UTC).
 */
public record DeliveryEvidenceIssued(String type, String exchangeId, String issuer, String time, String note) {
}
