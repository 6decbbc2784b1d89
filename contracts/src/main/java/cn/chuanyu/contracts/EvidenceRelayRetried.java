package cn.chuanyu.contracts;

import java.util.List;

/**
 * Data of {@link EventTypes#EVIDENCE_RELAY_RETRIED}: the destination node had given up fetching these items of a
 * package from the origin node (FAILED), and an operator put them back to be fetched.
 *
 * @param items    the names of the items fetched again
 * @param operator who asked for it
 */
public record EvidenceRelayRetried(List<String> items, String operator) {
}
