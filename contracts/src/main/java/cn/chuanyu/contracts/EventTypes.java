package cn.chuanyu.contracts;

import java.util.List;

/** Every event type published on the bus. The type is also the routing key. */
public final class EventTypes {

    public static final String AGENCY_REGISTERED = "agency.registered";

    /** An operator suspended an agency: its keys and certificate are refused (403) until it is reactivated. */
    public static final String AGENCY_SUSPENDED = "agency.suspended";

    public static final String AGENCY_REACTIVATED = "agency.reactivated";

    /** A new API key for an agency (only its id travels; the key itself is shown once to the operator). */
    public static final String AGENCY_KEY_ISSUED = "agency.key-issued";

    public static final String AGENCY_KEY_REVOKED = "agency.key-revoked";

    /** The client-certificate subject the gateway maps to an agency was set or removed. */
    public static final String AGENCY_CLIENT_CERTIFICATE_CHANGED = "agency.client-certificate-changed";

    /** One request through the gateway: who, what, outcome, duration (never bodies). */
    public static final String GATEWAY_ACCESS = "gateway.access";

    /** Requests without a caller that the gateway refused, counted per minute and reason (not one entry each). */
    public static final String GATEWAY_REFUSED = "gateway.refused";

    public static final String CASE_TRANSFER_SUBMITTED = "case-transfer.submitted";

    public static final String CASE_TRANSFER_ACCEPTED = "case-transfer.accepted";

    public static final String CASE_TRANSFER_REJECTED = "case-transfer.rejected";

    public static final String CASE_TRANSFER_WITHDRAWN = "case-transfer.withdrawn";

    public static final String CASE_TRANSFER_OVERDUE = "case-transfer.overdue";

    /**
     * Two regions: the recipient acted on its node's replica of a transfer; the action is forwarded to the node
     * that decides (the origin), whose outcome event follows, or {@link #CASE_TRANSFER_ACTION_REFUSED}.
     */
    public static final String CASE_TRANSFER_ACTION_REQUESTED = "case-transfer.action-requested";

    /** The origin's state machine refused a forwarded action (e.g. the transfer was withdrawn first). */
    public static final String CASE_TRANSFER_ACTION_REFUSED = "case-transfer.action-refused";

    /** A node issued a signed delivery evidence of a transfer (SUBMISSION_ACCEPTED, RELAY_ACCEPTED, ...). */
    public static final String CASE_TRANSFER_EVIDENCE_ISSUED = "case-transfer.evidence-issued";

    public static final String ASSISTANCE_SUBMITTED = "assistance.submitted";

    public static final String ASSISTANCE_ACKNOWLEDGED = "assistance.acknowledged";

    public static final String ASSISTANCE_COMPLETED = "assistance.completed";

    public static final String ASSISTANCE_DECLINED = "assistance.declined";

    public static final String ASSISTANCE_OVERDUE = "assistance.overdue";

    /** Two regions: the recipient's action on a replica, forwarded to the origin (see case-transfer's). */
    public static final String ASSISTANCE_ACTION_REQUESTED = "assistance.action-requested";

    public static final String ASSISTANCE_ACTION_REFUSED = "assistance.action-refused";

    public static final String ASSISTANCE_EVIDENCE_ISSUED = "assistance.evidence-issued";

    /** Custody events of evidence packages (subject = package id); every action on a package or item is one. */
    public static final String EVIDENCE_PACKAGE_CREATED = "evidence.package-created";

    public static final String EVIDENCE_ITEM_ADDED = "evidence.item-added";

    public static final String EVIDENCE_SEALED = "evidence.sealed";

    public static final String EVIDENCE_ITEM_DOWNLOADED = "evidence.item-downloaded";

    public static final String EVIDENCE_RECEIPT_VERIFIED = "evidence.receipt-verified";

    public static final String EVIDENCE_MISMATCH_FOUND = "evidence.mismatch-found";

    /** Two regions: the destination node stored the recipient's replica of a package sealed on the other node. */
    public static final String EVIDENCE_REPLICA_STORED = "evidence.replica-stored";

    /** Two regions: one item's content arrived over the mutual-TLS link and matched the manifest. */
    public static final String EVIDENCE_CONTENT_RELAYED = "evidence.content-relayed";

    /** Two regions: this node issued a signed delivery evidence of a package (crosses to the other party's node). */
    public static final String EVIDENCE_EVIDENCE_ISSUED = "evidence.evidence-issued";

    /** Two regions: a delivery evidence issued by the peer node arrived, was verified with its pinned key and kept. */
    public static final String EVIDENCE_EVIDENCE_RECEIVED = "evidence.evidence-received";

    /** Two regions: an operator put a package's FAILED item fetches back to be fetched again. */
    public static final String EVIDENCE_RELAY_RETRIED = "evidence.relay-retried";

    /** An operator replayed a dead-lettered message to its original queue. */
    public static final String OPS_DEAD_LETTER_REPLAYED = "ops.dead-letter-replayed";

    /** An operator discarded a dead-lettered message, with a reason. */
    public static final String OPS_DEAD_LETTER_DISCARDED = "ops.dead-letter-discarded";

    /** An operator paused the link to the peer region's node (its Shovel removed; messages wait). */
    public static final String OPS_LINK_PAUSED = "ops.link-paused";

    /** An operator resumed the link to the peer region's node (its Shovel restored). */
    public static final String OPS_LINK_RESUMED = "ops.link-resumed";

    /**
     * The audit log's checkpoint lacks its witnesses' cosignatures: a witness refused one (a fork or a rollback of
     * the log), or the published cosigned checkpoint grew older than the alert threshold.
     */
    public static final String OPS_WITNESS_ALERT = "ops.witness-alert";

    public static final List<String> ALL = List.of(
            AGENCY_REGISTERED,
            AGENCY_SUSPENDED,
            AGENCY_REACTIVATED,
            AGENCY_KEY_ISSUED,
            AGENCY_KEY_REVOKED,
            AGENCY_CLIENT_CERTIFICATE_CHANGED,
            GATEWAY_ACCESS,
            GATEWAY_REFUSED,
            CASE_TRANSFER_SUBMITTED,
            CASE_TRANSFER_ACCEPTED,
            CASE_TRANSFER_REJECTED,
            CASE_TRANSFER_WITHDRAWN,
            CASE_TRANSFER_OVERDUE,
            CASE_TRANSFER_ACTION_REQUESTED,
            CASE_TRANSFER_ACTION_REFUSED,
            CASE_TRANSFER_EVIDENCE_ISSUED,
            ASSISTANCE_SUBMITTED,
            ASSISTANCE_ACKNOWLEDGED,
            ASSISTANCE_COMPLETED,
            ASSISTANCE_DECLINED,
            ASSISTANCE_OVERDUE,
            ASSISTANCE_ACTION_REQUESTED,
            ASSISTANCE_ACTION_REFUSED,
            ASSISTANCE_EVIDENCE_ISSUED,
            EVIDENCE_PACKAGE_CREATED,
            EVIDENCE_ITEM_ADDED,
            EVIDENCE_SEALED,
            EVIDENCE_ITEM_DOWNLOADED,
            EVIDENCE_RECEIPT_VERIFIED,
            EVIDENCE_MISMATCH_FOUND,
            EVIDENCE_REPLICA_STORED,
            EVIDENCE_CONTENT_RELAYED,
            EVIDENCE_EVIDENCE_ISSUED,
            EVIDENCE_EVIDENCE_RECEIVED,
            EVIDENCE_RELAY_RETRIED,
            OPS_DEAD_LETTER_REPLAYED,
            OPS_DEAD_LETTER_DISCARDED,
            OPS_LINK_PAUSED,
            OPS_LINK_RESUMED,
            OPS_WITNESS_ALERT);

    private EventTypes() {
    }
}
