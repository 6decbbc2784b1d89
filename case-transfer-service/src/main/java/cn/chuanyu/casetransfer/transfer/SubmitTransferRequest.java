package cn.chuanyu.casetransfer.transfer;

import java.time.Instant;

import cn.chuanyu.kit.validation.AgencyId;
import cn.chuanyu.kit.validation.FreeText;
import cn.chuanyu.kit.validation.SingleLineText;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** What a sending agency submits. Case numbers are free text such as {@code (2026)川01刑初123号}. */
record SubmitTransferRequest(
        @Schema(description = "the sender's case number", example = "(2026)川01刑初123号", maxLength = 64)
        @NotBlank @Size(max = 64) @SingleLineText
        String caseNumber,
        @Schema(example = "跨区域诈骗案", maxLength = 200)
        @NotBlank @Size(max = 200) @SingleLineText
        String title,
        @NotNull
        CaseType caseType,
        @Schema(description = "id of the receiving agency", example = "cq-first-intermediate-court")
        @NotBlank @AgencyId
        String toAgency,
        @Schema(description = "why the case is transferred", maxLength = 2000)
        @NotBlank @Size(max = 2000) @FreeText
        String reason,
        @Schema(maxLength = 20000)
        @Size(max = 20000) @FreeText
        String summary,
        @Schema(description = "when the recipient must decide by (ISO-8601); default: now + the configured days")
        Instant decisionDueAt) {
}
