package cn.chuanyu.contracts;

/**
 * Data of {@link EventTypes#EVIDENCE_REPLICA_STORED}: the destination node stored the recipient's copy of a package
 * sealed on the node of {@code originRegion}; its content is being fetched over the mutual-TLS link and the
 * recipient sees the package once every item arrived and matched the manifest.
 */
public record EvidenceReplicaStored(String originRegion, String manifestSha256, int itemCount, long totalBytes) {
}
