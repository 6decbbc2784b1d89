package cn.chuanyu.contracts;

import java.util.List;
import java.util.Optional;

/**
 * What each event type carries and who publishes it: the source of the AsyncAPI document ({@code docs/asyncapi.json}),
 * which a test keeps in step with these records.
 */
public final class EventCatalog {

    /**
     * @param type     the event type, also its routing key
     * @param data     the record in the envelope's {@code data}
     * @param producer the service that publishes it
     * @param summary  what happened
     */
    public record Entry(String type, Class<? extends Record> data, String producer, String summary) {
    }

    private static final String GATEWAY = "gateway";
    private static final String CASE_TRANSFER = "case-transfer-service";
    private static final String EVIDENCE = "evidence-exchange-service";
    private static final String AUDIT = "audit-service";

    public static final List<Entry> ENTRIES = List.of(
            new Entry(EventTypes.AGENCY_REGISTERED, AgencyRegistered.class, GATEWAY,
                    "An agency joined the registry (or was seeded); services add it to their directory."),
            new Entry(EventTypes.AGENCY_SUSPENDED, AgencySuspended.class, GATEWAY,
                    "An operator suspended an agency; its keys stop working."),
            new Entry(EventTypes.AGENCY_REACTIVATED, AgencyReactivated.class, GATEWAY,
                    "An operator reactivated a suspended agency."),
            new Entry(EventTypes.AGENCY_KEY_ISSUED, AgencyKeyIssued.class, GATEWAY,
                    "A new API key was issued to an agency (the key itself is never published)."),
            new Entry(EventTypes.AGENCY_KEY_REVOKED, AgencyKeyRevoked.class, GATEWAY, "An API key was revoked."),
            new Entry(EventTypes.AGENCY_CLIENT_CERTIFICATE_CHANGED, AgencyClientCertificateChanged.class, GATEWAY,
                    "The client-certificate subject mapped to an agency changed."),
            new Entry(EventTypes.GATEWAY_ACCESS, GatewayAccess.class, GATEWAY,
                    "One request through the gateway: who, what, outcome, duration (never bodies)."),
            new Entry(EventTypes.GATEWAY_REFUSED, GatewayRefusals.class, GATEWAY,
                    "Requests without a caller refused in one minute for one reason: a count, not one entry each."),
            new Entry(EventTypes.CASE_TRANSFER_SUBMITTED, CaseTransferSubmitted.class, CASE_TRANSFER,
                    "A case transfer (案件移送) was submitted to another agency."),
            new Entry(EventTypes.CASE_TRANSFER_ACCEPTED, CaseTransferDecided.class, CASE_TRANSFER,
                    "The recipient accepted a case transfer."),
            new Entry(EventTypes.CASE_TRANSFER_REJECTED, CaseTransferDecided.class, CASE_TRANSFER,
                    "The recipient rejected a case transfer, with a reason."),
            new Entry(EventTypes.CASE_TRANSFER_WITHDRAWN, CaseTransferDecided.class, CASE_TRANSFER,
                    "The sender withdrew an undecided case transfer."),
            new Entry(EventTypes.CASE_TRANSFER_OVERDUE, ExchangeOverdue.class, CASE_TRANSFER,
                    "A case transfer is still undecided past its decision deadline (raised once)."),
            new Entry(EventTypes.CASE_TRANSFER_ACTION_REQUESTED, ExchangeActionRequested.class, CASE_TRANSFER,
                    "Two regions: the recipient acted on its node's replica of a transfer; the action is forwarded "
                            + "to the origin node, which decides."),
            new Entry(EventTypes.CASE_TRANSFER_ACTION_REFUSED, ExchangeActionRefused.class, CASE_TRANSFER,
                    "Two regions: the origin node refused a forwarded action on a transfer (e.g. withdrawn first)."),
            new Entry(EventTypes.CASE_TRANSFER_EVIDENCE_ISSUED, DeliveryEvidenceIssued.class, CASE_TRANSFER,
                    "A node issued a signed delivery evidence of a transfer (SUBMISSION_ACCEPTED, RELAY_ACCEPTED, "
                            + "DELIVERED, RETRIEVED, RELAY_FAILED, NON_DELIVERY)."),
            new Entry(EventTypes.ASSISTANCE_SUBMITTED, AssistanceSubmitted.class, CASE_TRANSFER,
                    "An assistance request (协作请求) was sent to another agency."),
            new Entry(EventTypes.ASSISTANCE_ACKNOWLEDGED, AssistanceProgressed.class, CASE_TRANSFER,
                    "The recipient acknowledged an assistance request."),
            new Entry(EventTypes.ASSISTANCE_COMPLETED, AssistanceProgressed.class, CASE_TRANSFER,
                    "The recipient completed an assistance request with its result."),
            new Entry(EventTypes.ASSISTANCE_DECLINED, AssistanceProgressed.class, CASE_TRANSFER,
                    "The recipient declined an assistance request, with a reason."),
            new Entry(EventTypes.ASSISTANCE_OVERDUE, ExchangeOverdue.class, CASE_TRANSFER,
                    "An assistance request is still open past its due time (raised once)."),
            new Entry(EventTypes.ASSISTANCE_ACTION_REQUESTED, ExchangeActionRequested.class, CASE_TRANSFER,
                    "Two regions: the recipient acted on its node's replica of an assistance request; the action is "
                            + "forwarded to the origin node, which decides."),
            new Entry(EventTypes.ASSISTANCE_ACTION_REFUSED, ExchangeActionRefused.class, CASE_TRANSFER,
                    "Two regions: the origin node refused a forwarded action on an assistance request."),
            new Entry(EventTypes.ASSISTANCE_EVIDENCE_ISSUED, DeliveryEvidenceIssued.class, CASE_TRANSFER,
                    "A node issued a signed delivery evidence of an assistance request."),
            new Entry(EventTypes.EVIDENCE_PACKAGE_CREATED, EvidencePackageCreated.class, EVIDENCE,
                    "An evidence package was opened for a recipient."),
            new Entry(EventTypes.EVIDENCE_ITEM_ADDED, EvidenceItemAdded.class, EVIDENCE,
                    "A file was added to an open evidence package, with its SHA-256."),
            new Entry(EventTypes.EVIDENCE_SEALED, EvidenceSealed.class, EVIDENCE,
                    "The sender sealed a package: its signed manifest is fixed."),
            new Entry(EventTypes.EVIDENCE_ITEM_DOWNLOADED, EvidenceItemDownloaded.class, EVIDENCE,
                    "A party downloaded (part of) an item: chain-of-custody record."),
            new Entry(EventTypes.EVIDENCE_RECEIPT_VERIFIED, EvidenceReceiptVerified.class, EVIDENCE,
                    "The recipient had the stored files re-hashed against the manifest."),
            new Entry(EventTypes.EVIDENCE_MISMATCH_FOUND, EvidenceMismatchFound.class, EVIDENCE,
                    "A stored file no longer matches its recorded digest."),
            new Entry(EventTypes.EVIDENCE_REPLICA_STORED, EvidenceReplicaStored.class, EVIDENCE,
                    "Two regions: the destination node stored the recipient's copy of a package; content follows."),
            new Entry(EventTypes.EVIDENCE_CONTENT_RELAYED, EvidenceContentRelayed.class, EVIDENCE,
                    "Two regions: an item's content arrived from the origin node and matched the manifest."),
            new Entry(EventTypes.EVIDENCE_EVIDENCE_ISSUED, DeliveryEvidenceIssued.class, EVIDENCE,
                    "Two regions: this node issued a signed delivery evidence of a package."),
            new Entry(EventTypes.EVIDENCE_EVIDENCE_RECEIVED, DeliveryEvidenceIssued.class, EVIDENCE,
                    "Two regions: a delivery evidence signed by the peer node was verified and kept."),
            new Entry(EventTypes.EVIDENCE_RELAY_RETRIED, EvidenceRelayRetried.class, EVIDENCE,
                    "Two regions: an operator had the item fetches given up on (FAILED) of a package tried again."),
            new Entry(EventTypes.OPS_DEAD_LETTER_REPLAYED, DeadLetterReplayed.class, AUDIT,
                    "An operator replayed a dead-lettered message to its original queue."),
            new Entry(EventTypes.OPS_DEAD_LETTER_DISCARDED, DeadLetterDiscarded.class, AUDIT,
                    "An operator discarded a dead-lettered message, giving a reason."),
            new Entry(EventTypes.OPS_LINK_PAUSED, LinkStateChanged.class, AUDIT,
                    "An operator paused the link to the peer region's node: what crosses waits on this node."),
            new Entry(EventTypes.OPS_LINK_RESUMED, LinkStateChanged.class, AUDIT,
                    "An operator resumed the link to the peer region's node: what waited crosses, in order."),
            new Entry(EventTypes.OPS_WITNESS_ALERT, WitnessAlert.class, AUDIT,
                    "A witness refused the audit log's checkpoint (naming both heads), or the published cosigned "
                            + "checkpoint is older than the alert threshold."));

    private EventCatalog() {
    }

    public static Optional<Entry> of(String type) {
        return ENTRIES.stream().filter(e -> e.type().equals(type)).findFirst();
    }
}
