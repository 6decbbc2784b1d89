package cn.chuanyu.kit.validation;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import jakarta.validation.ReportAsSingleViolation;
import jakarta.validation.constraints.Pattern;

import static java.lang.annotation.ElementType.ANNOTATION_TYPE;
import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.TYPE_USE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

/**
 * An agency (principal) id: a lower-case slug of 3 to 64 letters, digits and hyphens, neither starting nor ending
 * with a hyphen; ids travel in tokens, URLs and logs. Null is valid (add {@code @NotBlank} where it is required).
 */
@Documented
@Pattern(regexp = AgencyId.REGEX)
@ReportAsSingleViolation
@Constraint(validatedBy = {})
@Target({FIELD, METHOD, PARAMETER, TYPE_USE, ANNOTATION_TYPE})
@Retention(RUNTIME)
public @interface AgencyId {

    /** The one definition; {@link cn.chuanyu.kit.identity.Caller} checks principal ids against it too. */
    String REGEX = "[a-z0-9][a-z0-9-]{1,62}[a-z0-9]";

    String message() default "must be an agency id: 3 to 64 lower-case letters, digits and hyphens, "
            + "not starting or ending with a hyphen";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
