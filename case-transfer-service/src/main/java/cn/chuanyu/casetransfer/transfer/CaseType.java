package cn.chuanyu.casetransfer.transfer;

public enum CaseType {
    CRIMINAL,
    CIVIL,
    ADMINISTRATIVE,
    ENVIRONMENTAL,
    ENFORCEMENT
}
