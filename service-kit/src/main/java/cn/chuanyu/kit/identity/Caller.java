package cn.chuanyu.kit.identity;

import java.util.Arrays;
import java.util.Objects;
import java.util.regex.Pattern;

import cn.chuanyu.contracts.AgencyKind;
import cn.chuanyu.contracts.Region;
import cn.chuanyu.contracts.Role;
import cn.chuanyu.kit.validation.AgencyId;

/**
 * The verified principal behind a request, as the gateway vouches for it.
 *
 * @param id     agency id for {@link Role#AGENCY}, principal id for operators and auditors
 * @param role   what the caller may do
 * @param region the agency's region (null for operators and auditors)
 * @param kind   the agency's kind (null for operators and auditors)
 */
public record Caller(String id, Role role, Region region, AgencyKind kind) {

    /** Request attribute under which the gateway and the services keep the verified caller. */
    public static final String REQUEST_ATTRIBUTE = "cn.chuanyu.caller";

    /** Ids are plain slugs: they travel in tokens, URLs and logs. */
    public static final Pattern ID_PATTERN = Pattern.compile(AgencyId.REGEX);

    public Caller {
        Objects.requireNonNull(role, "role");
        if (id == null || !ID_PATTERN.matcher(id).matches()) {
            throw new IllegalArgumentException("principal id must match " + ID_PATTERN.pattern());
        }
        if (role == Role.AGENCY && (region == null || kind == null)) {
            throw new IllegalArgumentException("an agency principal needs a region and a kind");
        }
    }

    public boolean hasRole(Role... roles) {
        return Arrays.asList(roles).contains(role);
    }

    /** Throws {@link AccessDeniedException} unless the caller holds one of the roles. */
    public Caller requireRole(Role... roles) {
        if (!hasRole(roles)) {
            throw new AccessDeniedException("role " + role + " may not call this endpoint; allowed: "
                    + Arrays.toString(roles));
        }
        return this;
    }
}
