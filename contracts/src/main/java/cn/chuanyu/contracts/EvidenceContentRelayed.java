package cn.chuanyu.contracts;

/**
 * Data of {@link EventTypes#EVIDENCE_CONTENT_RELAYED}: one item's bytes arrived from the origin node and hash to the
 * manifest's SHA-256; {@code attempts} counts the requests it took (more than one: resumed with a Range).
 */
public record EvidenceContentRelayed(String name, String sha256, long size, int attempts) {
}
