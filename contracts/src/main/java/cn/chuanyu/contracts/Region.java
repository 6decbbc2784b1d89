package cn.chuanyu.contracts;

/** The two regions of the cooperation framework. */
public enum Region {
    /** Sichuan (川). */
    SC,
    /** Chongqing (渝). */
    CQ
}
