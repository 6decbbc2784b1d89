package cn.chuanyu.casetransfer.assistance;

import java.time.Instant;
import java.util.UUID;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

record SubmitAssistanceRequest(
        @NotNull
        AssistanceType type,
        @Schema(description = "id of the agency asked for help", example = "cq-yubei-public-security")
        @NotBlank @Pattern(regexp = "[a-z0-9][a-z0-9-]{1,62}[a-z0-9]", message = "must be an agency id")
        String toAgency,
        @Schema(example = "协查被执行人下落", maxLength = 200)
        @NotBlank @Size(max = 200) @Pattern(regexp = "[^\\p{Cc}\\p{Cf}\\p{Cs}]*",
                message = "must not contain control or format characters")
        String subject,
        @Schema(maxLength = 20000)
        @NotBlank @Size(max = 20000)
        String details,
        @Schema(description = "a case transfer both agencies are party to, if the request belongs to one")
        UUID caseTransferId,
        @Schema(description = "when the help is needed by (ISO-8601); default: now + the configured days")
        Instant dueAt) {
}
