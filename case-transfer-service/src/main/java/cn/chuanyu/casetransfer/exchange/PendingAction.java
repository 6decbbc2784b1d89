package cn.chuanyu.casetransfer.exchange;

import java.time.Instant;

import cn.chuanyu.kit.domain.DomainModel;

/**
 * A recipient's action on a replica, forwarded to the node that decides the exchange and not answered yet: the
 * exchange's state changes when the outcome comes back (or the action is refused).
 */
@DomainModel
public record PendingAction(String action, Instant requestedAt) {
}
