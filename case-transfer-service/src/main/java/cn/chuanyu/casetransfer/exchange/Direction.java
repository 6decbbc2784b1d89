package cn.chuanyu.casetransfer.exchange;

import cn.chuanyu.kit.domain.DomainModel;

/** Which side of an exchange the caller is on, for lists. */
@DomainModel
public enum Direction {
    INCOMING,
    OUTGOING
}
