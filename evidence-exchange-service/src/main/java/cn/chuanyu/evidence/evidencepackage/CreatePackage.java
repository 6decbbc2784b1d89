package cn.chuanyu.evidence.evidencepackage;

import java.util.UUID;

/** Open a package for {@code toAgency}, optionally belonging to one case transfer or one assistance request. */
record CreatePackage(String title, String toAgency, UUID caseTransferId, UUID assistanceRequestId) {
}
