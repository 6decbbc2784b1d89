package cn.chuanyu.evidence.evidencepackage;

import java.util.UUID;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** A new package for {@code toAgency}, optionally belonging to a case transfer or an assistance request. */
record CreatePackageRequest(
        @NotBlank @Size(max = 200) @Pattern(regexp = "[^\\p{Cntrl}]*", message = "must not contain control characters")
        String title,
        @NotBlank @Pattern(regexp = "[a-z0-9][a-z0-9-]{1,62}[a-z0-9]", message = "must be an agency id")
        String toAgency,
        UUID caseTransferId,
        UUID assistanceRequestId) {
}
