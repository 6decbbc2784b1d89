package cn.chuanyu.evidence.evidencepackage;

import java.time.Instant;
import java.util.UUID;

import cn.chuanyu.kit.domain.DomainModel;

/** A file in a package; its bytes are the store object addressed by {@code sha256}. */
@DomainModel
public record EvidenceItem(UUID packageId, String name, long size, String sha256, String contentType,
        String addedBy, Instant addedAt) {
}
