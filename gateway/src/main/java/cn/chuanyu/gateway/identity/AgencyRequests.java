package cn.chuanyu.gateway.identity;

import java.time.Instant;

import cn.chuanyu.contracts.AgencyKind;
import cn.chuanyu.contracts.Region;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Bodies of the agency admin API. */
final class AgencyRequests {

    private AgencyRequests() {
    }

    record Create(
            @NotBlank @Pattern(regexp = "[a-z0-9][a-z0-9-]{1,62}[a-z0-9]",
                    message = "must be a lower-case slug of 3 to 64 letters, digits and hyphens") String id,
            @NotBlank @Size(max = 200) String name,
            @NotNull Region region,
            @NotNull AgencyKind kind,
            @Size(max = 1000) String clientCertificateSubject) {
    }

    /** Without a body, or with {@code expiresAt} null, the key does not expire. */
    record IssueKey(Instant expiresAt) {
    }

    record Suspend(@NotBlank @Size(max = 500) String reason) {
    }

    record ClientCertificate(@NotBlank @Size(max = 1000) String subject) {
    }
}
