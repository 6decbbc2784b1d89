package cn.chuanyu.contracts;

import java.util.List;

/**
 * Data of {@link EventTypes#EVIDENCE_RECEIPT_VERIFIED}: the recipient asked the service to re-hash what it stores;
 * {@code result} is {@code verified} when every item matches its sealed digest, else {@code mismatch}.
 */
public record EvidenceReceiptVerified(String verifiedBy, String manifestSha256, String result,
        List<EvidenceItemCheck> items) {

    public EvidenceReceiptVerified {
        items = items == null ? List.of() : List.copyOf(items);
    }
}
