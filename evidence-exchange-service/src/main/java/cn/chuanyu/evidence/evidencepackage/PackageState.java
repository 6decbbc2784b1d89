package cn.chuanyu.evidence.evidencepackage;

public enum PackageState {
    /** The sender is adding items; the recipient cannot see the package yet. */
    OPEN,
    /** Frozen by a signed manifest; delivered to the recipient. */
    SEALED
}
