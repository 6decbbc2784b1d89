package cn.chuanyu.kit.outbox;

/**
 * Where an outbox event goes beyond this node: to the node of {@code peerRegion} ("SC" or "CQ"), as the
 * {@code exchangeSeq}-th event of its exchange that crosses (null for events not about one exchange, such as the
 * agency directory's).
 */
public record LinkRoute(String peerRegion, Long exchangeSeq) {

    public LinkRoute {
        if (peerRegion == null || peerRegion.isBlank()) {
            throw new IllegalArgumentException("a link route names the peer region");
        }
        if (exchangeSeq != null && exchangeSeq < 1) {
            throw new IllegalArgumentException("an exchange's link sequence starts at 1");
        }
    }
}
