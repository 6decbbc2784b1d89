package cn.chuanyu.evidence.storage;

/**
 * An object in the store: its SHA-256 (lowercase hex, also its address), size in bytes, and SM3 (lowercase hex,
 * computed in the same pass; null where it was not, e.g. an object stored before SM3 existed here).
 */
public record StoredObject(String sha256, long size, String sm3) {

    public StoredObject(String sha256, long size) {
        this(sha256, size, null);
    }
}
