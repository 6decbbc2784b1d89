package cn.chuanyu.contracts;

/** Roles a principal can hold at the gateway. */
public enum Role {
    AGENCY,
    OPERATOR,
    AUDITOR
}
