package cn.chuanyu.evidence.evidencepackage;

import cn.chuanyu.kit.domain.DomainModel;

@DomainModel
public enum PackageState {
    /** The sender is adding items; the recipient cannot see the package yet. */
    OPEN,
    /** Frozen by a signed manifest; delivered to the recipient. */
    SEALED,
    /**
     * Two regions, on the recipient's node: sealed on the sender's node, its manifest here, its content still
     * crossing the link. Nobody sees it until every item arrived and matched the manifest; then it is SEALED.
     */
    RELAYING
}
