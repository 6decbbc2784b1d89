package cn.chuanyu.casetransfer.exchange;

import cn.chuanyu.kit.domain.DomainModel;

/**
 * What an action on an exchange did: the exchange as it now is, and, when the action was only forwarded to the node
 * that decides (a replica's recipient acting), the pending action (otherwise null).
 */
@DomainModel
public record Acted<T>(T exchange, PendingAction pending) {

    public boolean forwarded() {
        return pending != null;
    }
}
