package cn.chuanyu.contracts;

/**
 * Data of {@link EventTypes#EVIDENCE_ITEM_DOWNLOADED}: who read which bytes of an item. {@code firstByte} and
 * {@code lastByte} are the inclusive range asked for (the whole file when no Range was sent); {@code bytesSent}
 * what actually left the service; {@code integrity} is {@code verified} (every stored byte re-hashed to the sealed
 * digest), {@code mismatch}, or {@code unchecked} (the client went away before the end).
 */
public record EvidenceItemDownloaded(String name, String downloadedBy, long firstByte, long lastByte, long bytesSent,
        long size, boolean complete, String integrity) {
}
