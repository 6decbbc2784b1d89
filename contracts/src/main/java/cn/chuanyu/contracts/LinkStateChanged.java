package cn.chuanyu.contracts;

/**
 * Data of {@link EventTypes#OPS_LINK_PAUSED} and {@link EventTypes#OPS_LINK_RESUMED}.
 *
 * @param peer     the peer region the link goes to ("SC" or "CQ")
 * @param shovel   the broker's Shovel that carries it ({@code link-to-<peer>})
 * @param waiting  messages waiting to cross when the operator acted
 * @param operator who paused or resumed it
 */
public record LinkStateChanged(String peer, String shovel, long waiting, String operator) {
}
