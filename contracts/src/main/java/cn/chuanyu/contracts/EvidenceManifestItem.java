package cn.chuanyu.contracts;

/**
 * One item of a sealed manifest ({@link EvidenceSealed#items()}): its name, size, media type, hex SHA-256 and hex
 * SM3 (null for an item stored before SM3 was computed: its manifest has no {@code sm3} key). The recipient's node
 * rebuilds the manifest's canonical bytes from these, so every field the manifest holds must be here.
 */
public record EvidenceManifestItem(String name, long size, String contentType, String sha256, String sm3) {

    public EvidenceManifestItem(String name, long size, String contentType, String sha256) {
        this(name, size, contentType, sha256, null);
    }
}
