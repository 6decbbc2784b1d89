package cn.chuanyu.contracts;

/** Kinds of agency that take part. */
public enum AgencyKind {
    COURT,
    PROCURATORATE,
    PUBLIC_SECURITY,
    JUSTICE_BUREAU
}
