package cn.chuanyu.contracts;

/** One item of a sealed manifest ({@link EvidenceSealed#items()}): its name, size, media type and hex SHA-256. */
public record EvidenceManifestItem(String name, long size, String contentType, String sha256) {
}
