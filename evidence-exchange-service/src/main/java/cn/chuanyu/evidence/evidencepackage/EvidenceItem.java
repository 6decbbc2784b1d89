package cn.chuanyu.evidence.evidencepackage;

import java.time.Instant;
import java.util.UUID;

import cn.chuanyu.kit.domain.DomainModel;

/**
 * A file in a package; its bytes are the store object addressed by {@code sha256}. {@code sm3} (hex) is null for
 * items stored before SM3 was computed: it is left absent rather than recomputed.
 */
@DomainModel
public record EvidenceItem(UUID packageId, String name, long size, String sha256, String contentType,
        String addedBy, Instant addedAt, String sm3) {

    public EvidenceItem(UUID packageId, String name, long size, String sha256, String contentType, String addedBy,
            Instant addedAt) {
        this(packageId, name, size, sha256, contentType, addedBy, addedAt, null);
    }
}
