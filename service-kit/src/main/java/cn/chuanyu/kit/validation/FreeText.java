package cn.chuanyu.kit.validation;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

import static java.lang.annotation.ElementType.ANNOTATION_TYPE;
import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.TYPE_USE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

/** Multi-line text (reasons, details, summaries): as {@link SingleLineText}, but line feeds are allowed. Null is valid (use {@code @NotBlank} where the field is required). */
@Documented
@Constraint(validatedBy = FreeText.Validator.class)
@Target({FIELD, METHOD, PARAMETER, TYPE_USE, ANNOTATION_TYPE})
@Retention(RUNTIME)
public @interface FreeText {

    String message() default "must be text without control (except line feed), format or line-separator characters, in NFC";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** Says which character was refused (by code point, never echoing it). */
    class Validator implements ConstraintValidator<FreeText, CharSequence> {

        @Override
        public boolean isValid(CharSequence value, ConstraintValidatorContext context) {
            String problem = TextRules.freeTextProblem(value);
            if (problem == null) {
                return true;
            }
            context.disableDefaultConstraintViolation();
            context.buildConstraintViolationWithTemplate(problem).addConstraintViolation();
            return false;
        }
    }
}
