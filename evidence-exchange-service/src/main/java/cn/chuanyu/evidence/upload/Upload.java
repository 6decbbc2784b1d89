package cn.chuanyu.evidence.upload;

import java.time.Instant;
import java.util.UUID;

/** A resumable upload of one item: its declared length, and (once complete) the digest of what arrived. */
record Upload(UUID id, UUID packageId, String fileName, long length, String contentType, String expectedSha256,
        String createdBy, Instant createdAt, Instant completedAt, String sha256) {

    boolean completed() {
        return completedAt != null;
    }
}
