package cn.chuanyu.contracts;

/**
 * Data of {@link EventTypes#EVIDENCE_SEALED}: the package is frozen; {@code manifestSha256} is the hex SHA-256 of
 * the manifest's canonical bytes, signed by the platform key {@code signingKeyId}.
 */
public record EvidenceSealed(String sealedBy, String manifestSha256, String signingKeyId, int itemCount,
        long totalBytes) {
}
