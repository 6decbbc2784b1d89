package cn.chuanyu.evidence.evidencepackage;

import java.util.UUID;

/**
 * Published (in-process, inside the transaction that records the download) when a party downloaded a whole item:
 * in two-region mode the recipient's node issues RETRIEVED on the first one by the recipient.
 */
public record PackageRetrievedEvent(UUID packageId, String sender, String recipient, String downloadedBy) {
}
