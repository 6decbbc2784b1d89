package cn.chuanyu.evidence.evidencepackage;

import java.util.UUID;

import cn.chuanyu.kit.validation.AgencyId;
import cn.chuanyu.kit.validation.SingleLineText;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** A new package for {@code toAgency}, optionally belonging to a case transfer or an assistance request. */
record CreatePackageRequest(
        @NotBlank @Size(max = 200) @SingleLineText
        String title,
        @NotBlank @AgencyId
        String toAgency,
        UUID caseTransferId,
        UUID assistanceRequestId) {

    CreatePackage command() {
        return new CreatePackage(title, toAgency, caseTransferId, assistanceRequestId);
    }
}
