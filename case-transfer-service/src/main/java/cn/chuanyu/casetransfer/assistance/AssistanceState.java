package cn.chuanyu.casetransfer.assistance;

public enum AssistanceState {
    SUBMITTED,
    ACKNOWLEDGED,
    COMPLETED,
    DECLINED;

    boolean isOpen() {
        return this == SUBMITTED || this == ACKNOWLEDGED;
    }
}
