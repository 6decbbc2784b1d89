package cn.chuanyu.casetransfer.transfer;

public enum TransferState {
    SUBMITTED,
    ACCEPTED,
    REJECTED,
    WITHDRAWN
}
