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

/** Single-line text (titles, names, subjects): see {@link TextRules}. Null is valid (use {@code @NotBlank} where the field is required). */
@Documented
@Constraint(validatedBy = SingleLineText.Validator.class)
@Target({FIELD, METHOD, PARAMETER, TYPE_USE, ANNOTATION_TYPE})
@Retention(RUNTIME)
public @interface SingleLineText {

    String message() default "must be single-line text without control, format or line-separator characters, in NFC";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** Says which character was refused (by code point, never echoing it). */
    class Validator implements ConstraintValidator<SingleLineText, CharSequence> {

        @Override
        public boolean isValid(CharSequence value, ConstraintValidatorContext context) {
            String problem = TextRules.singleLineProblem(value);
            if (problem == null) {
                return true;
            }
            context.disableDefaultConstraintViolation();
            context.buildConstraintViolationWithTemplate(problem).addConstraintViolation();
            return false;
        }
    }
}
