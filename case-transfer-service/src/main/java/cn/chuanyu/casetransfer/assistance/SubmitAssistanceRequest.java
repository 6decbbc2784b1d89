package cn.chuanyu.casetransfer.assistance;

import java.time.Instant;
import java.util.UUID;

import cn.chuanyu.kit.validation.AgencyId;
import cn.chuanyu.kit.validation.FreeText;
import cn.chuanyu.kit.validation.SingleLineText;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

record SubmitAssistanceRequest(
        @NotNull
        AssistanceType type,
        @Schema(description = "id of the agency asked for help", example = "cq-yubei-public-security")
        @NotBlank @AgencyId
        String toAgency,
        @Schema(example = "协查被执行人下落", maxLength = 200)
        @NotBlank @Size(max = 200) @SingleLineText
        String subject,
        @Schema(maxLength = 20000)
        @NotBlank @Size(max = 20000) @FreeText
        String details,
        @Schema(description = "a case transfer both agencies are party to, if the request belongs to one")
        UUID caseTransferId,
        @Schema(description = "when the help is needed by (ISO-8601); default: now + the configured days")
        Instant dueAt) {
}
