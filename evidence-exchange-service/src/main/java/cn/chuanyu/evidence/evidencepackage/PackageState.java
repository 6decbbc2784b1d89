package cn.chuanyu.evidence.evidencepackage;

import cn.chuanyu.kit.domain.DomainModel;

@DomainModel
public enum PackageState {
    /** The sender is adding items; the recipient cannot see the package yet. */
    OPEN,
    /** Frozen by a signed manifest; delivered to the recipient. */
    SEALED
}
