package cn.chuanyu.evidence.evidencepackage;

import cn.chuanyu.kit.domain.DomainModel;

/**
 * Record stored bytes as the item {@code name} (normalised by {@link FileNames}); {@code method} says how they came
 * (PUT, TUS) for the chain of custody.
 */
@DomainModel
record AddItem(String name, String contentType, long size, String sha256, String method, String sm3) {

    AddItem(String name, String contentType, long size, String sha256, String method) {
        this(name, contentType, size, sha256, method, null);
    }
}
