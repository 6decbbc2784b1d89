package cn.chuanyu.evidence.evidencepackage;

import java.util.UUID;

import cn.chuanyu.kit.domain.DomainModel;

/** Open a package for {@code toAgency}, optionally belonging to one case transfer or one assistance request. */
@DomainModel
record CreatePackage(String title, String toAgency, UUID caseTransferId, UUID assistanceRequestId) {
}
