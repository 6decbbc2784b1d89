package cn.chuanyu.evidence.storage;

/** An object in the store: its SHA-256 (lowercase hex, also its address) and size in bytes. */
public record StoredObject(String sha256, long size) {
}
