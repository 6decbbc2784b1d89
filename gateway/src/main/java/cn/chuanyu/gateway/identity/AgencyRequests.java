package cn.chuanyu.gateway.identity;

import java.time.Instant;

import cn.chuanyu.contracts.AgencyKind;
import cn.chuanyu.contracts.Region;
import cn.chuanyu.kit.validation.AgencyId;
import cn.chuanyu.kit.validation.FreeText;
import cn.chuanyu.kit.validation.SingleLineText;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** Bodies of the agency admin API. */
final class AgencyRequests {

    private AgencyRequests() {
    }

    record Create(
            @NotBlank @AgencyId String id,
            @NotBlank @Size(max = 200) @SingleLineText String name,
            @NotNull Region region,
            @NotNull AgencyKind kind,
            @Size(max = 1000) @SingleLineText String clientCertificateSubject) {
    }

    /** Without a body, or with {@code expiresAt} null, the key does not expire. */
    record IssueKey(Instant expiresAt) {
    }

    record Suspend(@NotBlank @Size(max = 500) @FreeText String reason) {
    }

    record ClientCertificate(@NotBlank @Size(max = 1000) @SingleLineText String subject) {
    }
}
