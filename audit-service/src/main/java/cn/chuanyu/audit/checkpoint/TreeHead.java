package cn.chuanyu.audit.checkpoint;

import java.time.Instant;

/**
 * A signed tree head.
 *
 * @param treeSize   leaves covered
 * @param rootHash   RFC 9162 root hash, lowercase hex
 * @param timestamp  when this instance last signed the head (the signed checkpoint itself carries no time)
 * @param checkpoint the head as a C2SP tlog-checkpoint signed note
 */
public record TreeHead(long treeSize, String rootHash, Instant timestamp, String checkpoint) {
}
