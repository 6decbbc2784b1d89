package cn.chuanyu.contracts;

/**
 * Data of {@link EventTypes#EVIDENCE_ITEM_ADDED}: a file stored in an open package. {@code sha256} is lowercase hex;
 * {@code method} is {@code PUT} (single request) or {@code TUS} (resumable upload); {@code replaced} says an item of
 * the same name existed before.
 */
public record EvidenceItemAdded(String name, long size, String sha256, String contentType, String addedBy,
        String method, boolean replaced) {
}
