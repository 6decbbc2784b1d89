package cn.chuanyu.casetransfer.transfer;

import java.time.Instant;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** What a sending agency submits. Case numbers are free text such as {@code (2026)川01刑初123号}. */
record SubmitTransferRequest(
        @Schema(description = "the sender's case number", example = "(2026)川01刑初123号", maxLength = 64)
        @NotBlank @Size(max = 64) @Pattern(regexp = NO_CONTROL_CHARS, message = TEXT_RULE)
        String caseNumber,
        @Schema(example = "跨区域诈骗案", maxLength = 200)
        @NotBlank @Size(max = 200) @Pattern(regexp = NO_CONTROL_CHARS, message = TEXT_RULE)
        String title,
        @NotNull
        CaseType caseType,
        @Schema(description = "id of the receiving agency", example = "cq-first-intermediate-court")
        @NotBlank @Pattern(regexp = AGENCY_ID, message = "must be an agency id")
        String toAgency,
        @Schema(description = "why the case is transferred", maxLength = 2000)
        @NotBlank @Size(max = 2000)
        String reason,
        @Schema(maxLength = 20000)
        @Size(max = 20000)
        String summary,
        @Schema(description = "when the recipient must decide by (ISO-8601); default: now + the configured days")
        Instant decisionDueAt) {

    /** Single-line text: no control, format (bidi overrides, zero-width) or lone surrogate characters. */
    static final String NO_CONTROL_CHARS = "[^\\p{Cc}\\p{Cf}\\p{Cs}]*";

    static final String TEXT_RULE = "must not contain control or format characters";

    static final String AGENCY_ID = "[a-z0-9][a-z0-9-]{1,62}[a-z0-9]";
}
