package cn.chuanyu.contracts;

/**
 * Data of {@link EventTypes#EVIDENCE_PACKAGE_CREATED}. The linked exchange ids are null when the package stands
 * alone.
 */
public record EvidencePackageCreated(String title, String createdBy, String caseTransferId,
        String assistanceRequestId) {
}
