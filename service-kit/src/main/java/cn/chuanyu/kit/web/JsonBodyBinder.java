package cn.chuanyu.kit.web;

import java.lang.reflect.Type;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.node.ObjectNode;

/**
 * Binds a JSON request body (already parsed to a tree) to its record, naming every problem at once. Jackson stops at
 * the first unknown property or bad value; this binds the whole object first (the common, valid case costs one
 * binding) and only when that fails binds each property on its own to find every unknown field, wrong type and bad
 * enum value, then binds what is left and runs bean validation on it, so a missing required field is named in the
 * same answer. All of them come back as one {@link InvalidRequestException}.
 * <p>
 * A body that is not a JSON object (an array, a string, {@code null}...) or a type that is not a bean is bound as
 * Jackson binds it, and its error is Jackson's. Nested objects are bound as a whole: the first problem inside one
 * is named with its path ({@code a.b}).
 */
public final class JsonBodyBinder {

    private final ObjectMapper mapper;
    private final Validator validator;

    /** @param validator null where bean validation is not on the classpath */
    public JsonBodyBinder(ObjectMapper mapper, Validator validator) {
        this.mapper = mapper;
        this.validator = validator;
    }

    /** Whether bodies of this type are bound field by field: beans and records, not maps, lists, trees or text. */
    public static boolean bindsFieldByField(Class<?> type) {
        return !(type.isPrimitive() || type.isArray() || type.isEnum() || type.isInterface()
                || java.lang.reflect.Modifier.isAbstract(type.getModifiers()) || type.getName().startsWith("java.")
                || JsonNode.class.isAssignableFrom(type) || Collection.class.isAssignableFrom(type)
                || Map.class.isAssignableFrom(type));
    }

    public JavaType type(Type type) {
        return mapper.constructType(type);
    }

    /**
     * The body as {@code type}.
     *
     * @throws InvalidRequestException naming every unknown field, wrong type, bad enum value and failed constraint
     * @throws JacksonException        when the body is not an object, or fails for a reason no single field has
     */
    public Object bind(JsonNode tree, JavaType type) {
        ObjectReader reader = mapper.readerFor(type);
        if (tree == null || tree.isNull() || tree.isMissingNode()) {
            return null;
        }
        try {
            return reader.readValue(tree);
        }
        catch (JacksonException whole) {
            if (!(tree instanceof ObjectNode object)) {
                throw whole;
            }
            List<FieldProblem> problems = new ArrayList<>();
            Set<String> bad = new HashSet<>();
            ObjectNode usable = object.deepCopy();
            for (Map.Entry<String, JsonNode> property : object.properties()) {
                ObjectNode alone = object.objectNode();
                alone.set(property.getKey(), property.getValue());
                try {
                    reader.readValue(alone);
                }
                catch (JacksonException ex) {
                    problems.add(problem(property.getKey(), ex));
                    bad.add(property.getKey());
                    usable.remove(property.getKey());
                }
            }
            if (problems.isEmpty()) {
                throw whole; // no single field is to blame
            }
            Object rest;
            try {
                rest = reader.readValue(usable);
            }
            catch (JacksonException ex) {
                throw new InvalidRequestException(problems);
            }
            problems.addAll(violations(rest, bad));
            throw new InvalidRequestException(problems);
        }
    }

    /** Bean-validation failures of what could be bound, but none for a field already named as unbindable. */
    private List<FieldProblem> violations(Object bound, Set<String> alreadyNamed) {
        if (validator == null || bound == null) {
            return List.of();
        }
        List<FieldProblem> problems = new ArrayList<>();
        for (ConstraintViolation<Object> violation : validator.validate(bound)) {
            String field = violation.getPropertyPath().toString();
            String root = field.split("[.\\[]", 2)[0];
            if (!alreadyNamed.contains(root)) {
                problems.add(new FieldProblem(field, violation.getMessage()));
            }
        }
        problems.sort(Comparator.comparing(FieldProblem::field).thenComparing(FieldProblem::message));
        return problems;
    }

    private static FieldProblem problem(String property, JacksonException ex) {
        String field = path(ex);
        if (field.isEmpty()) {
            field = property;
        }
        if (ex instanceof UnrecognizedPropertyException unknown) {
            List<String> known = unknown.getKnownPropertyIds() == null ? List.of()
                    : unknown.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList();
            return new FieldProblem(field, known.isEmpty() ? "unknown field"
                    : "unknown field; the fields are " + String.join(", ", known));
        }
        Class<?> target = ex instanceof MismatchedInputException mismatch ? mismatch.getTargetType() : null;
        if (target != null && target.isEnum()) {
            List<String> allowed = Arrays.stream(target.getEnumConstants()).map(c -> ((Enum<?>) c).name()).toList();
            return new FieldProblem(field, "must be one of " + String.join(", ", allowed), allowed);
        }
        return new FieldProblem(field, "must be " + expected(target));
    }

    /** The JSON path of a binding error: {@code caseType}, {@code ids[2]}, {@code a.b}. */
    public static String path(JacksonException ex) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference ref : ex.getPath()) {
            if (ref.getPropertyName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getPropertyName());
            }
            else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    /** What a value of {@code type} looks like in JSON, to finish "must be ...". */
    public static String expected(Class<?> type) {
        if (type == null) {
            return "a valid value of its type";
        }
        if (type.isEnum()) {
            return "one of " + String.join(", ", Arrays.stream(type.getEnumConstants())
                    .map(c -> ((Enum<?>) c).name()).toList());
        }
        if (CharSequence.class.isAssignableFrom(type)) {
            return "a string";
        }
        if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != boolean.class)) {
            return "a number in range";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (Temporal.class.isAssignableFrom(type)) {
            return "an ISO-8601 date-time such as 2026-12-31T16:00:00Z";
        }
        if (UUID.class.equals(type)) {
            return "a UUID";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a JSON array";
        }
        return "a JSON object";
    }
}
