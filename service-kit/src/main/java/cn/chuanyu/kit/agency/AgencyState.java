package cn.chuanyu.kit.agency;

/** Whether an agency may be addressed: a suspended one receives no new exchanges and no webhook calls. */
public enum AgencyState {
    ACTIVE,
    SUSPENDED
}
