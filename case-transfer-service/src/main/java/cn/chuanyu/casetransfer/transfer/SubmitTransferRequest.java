package cn.chuanyu.casetransfer.transfer;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** What a sending agency submits. Case numbers are free text such as {@code (2026)川01刑初123号}. */
record SubmitTransferRequest(
        @NotBlank @Size(max = 64) @Pattern(regexp = NO_CONTROL_CHARS, message = "must not contain control characters")
        String caseNumber,
        @NotBlank @Size(max = 200) @Pattern(regexp = NO_CONTROL_CHARS, message = "must not contain control characters")
        String title,
        @NotNull
        CaseType caseType,
        @NotBlank @Pattern(regexp = "[a-z0-9][a-z0-9-]{1,62}[a-z0-9]", message = "must be an agency id")
        String toAgency,
        @NotBlank @Size(max = 2000)
        String reason,
        @Size(max = 20000)
        String summary) {

    static final String NO_CONTROL_CHARS = "[^\\p{Cntrl}]*";
}
