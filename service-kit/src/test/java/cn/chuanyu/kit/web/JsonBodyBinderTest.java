package cn.chuanyu.kit.web;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.cfg.EnumFeature;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonBodyBinderTest {

    enum Kind { CRIMINAL, CIVIL }

    record Submit(@NotBlank @Size(max = 8) @Pattern(regexp = "[A-Z][0-9]+", message = "must be a letter and digits")
            String number, @NotNull Kind kind, @NotBlank String to, @NotBlank String reason, Instant dueAt,
            List<String> tags) {
    }

    static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(EnumFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .build();
    static final Validator VALIDATOR = Validation.buildDefaultValidatorFactory().getValidator();
    static final JsonBodyBinder BINDER = new JsonBodyBinder(JSON, VALIDATOR);
    static final JavaType SUBMIT = BINDER.type(Submit.class);

    @Test
    void aValidBodyBindsInOnePiece() {
        Object bound = BINDER.bind(JSON.readTree("""
                {"number": "X1", "kind": "CIVIL", "to": "b", "reason": "r", "dueAt": "2030-01-01T00:00:00Z"}"""),
                SUBMIT);
        assertThat(bound).isEqualTo(new Submit("X1", Kind.CIVIL, "b", "r", Instant.parse("2030-01-01T00:00:00Z"),
                null));
    }

    @Test
    void everyProblemOfABodyIsNamedAtOnce() {
        Map<String, FieldProblem> problems = problems("""
                {"number": "x1", "kind": "MURDER", "bogus": 1, "dueAt": "yesterday", "tags": "one"}""");

        assertThat(problems).containsOnlyKeys("number", "kind", "bogus", "dueAt", "tags", "to", "reason");
        assertThat(problems.get("kind").message()).isEqualTo("must be one of CRIMINAL, CIVIL");
        assertThat(problems.get("kind").allowed()).containsExactly("CRIMINAL", "CIVIL");
        assertThat(problems.get("bogus").message()).startsWith("unknown field").contains("number", "reason");
        assertThat(problems.get("dueAt").message()).contains("ISO-8601");
        assertThat(problems.get("tags").message()).isEqualTo("must be a JSON array");
        assertThat(problems.get("number").message()).isEqualTo("must be a letter and digits");
        assertThat(problems.get("to").message()).isEqualTo("must not be blank");
        assertThat(problems.get("reason").message()).isEqualTo("must not be blank");
    }

    @Test
    void aFieldThatDoesNotBindIsNotAlsoReportedAsMissing() {
        Map<String, FieldProblem> problems = problems("""
                {"number": "X1", "kind": 3, "to": "b", "reason": "r"}""");
        assertThat(problems).containsOnlyKeys("kind");
    }

    @Test
    void wrongTypesAreNamedWithTheirPath() {
        Map<String, FieldProblem> problems = problems("""
                {"number": ["X1"], "kind": "CIVIL", "to": "b", "reason": "r", "tags": ["a", {"b": 1}]}""");
        assertThat(problems).containsOnlyKeys("number", "tags[1]");
        assertThat(problems.get("number").message()).isEqualTo("must be a string");
    }

    @Test
    void aBodyThatIsNotAnObjectFailsAsJacksonFailsIt() {
        assertThatThrownBy(() -> BINDER.bind(JSON.readTree("[1, 2]"), SUBMIT)).isInstanceOf(JacksonException.class);
        assertThatThrownBy(() -> BINDER.bind(JSON.readTree("\"text\""), SUBMIT))
                .isInstanceOf(JacksonException.class);
        assertThat(BINDER.bind(JSON.readTree("null"), SUBMIT)).isNull();
    }

    @Test
    void onlyBeansAndRecordsAreBoundFieldByField() {
        assertThat(JsonBodyBinder.bindsFieldByField(Submit.class)).isTrue();
        assertThat(JsonBodyBinder.bindsFieldByField(String.class)).isFalse();
        assertThat(JsonBodyBinder.bindsFieldByField(Map.class)).isFalse();
        assertThat(JsonBodyBinder.bindsFieldByField(List.class)).isFalse();
        assertThat(JsonBodyBinder.bindsFieldByField(tools.jackson.databind.JsonNode.class)).isFalse();
        assertThat(JsonBodyBinder.bindsFieldByField(byte[].class)).isFalse();
    }

    private static Map<String, FieldProblem> problems(String json) {
        try {
            BINDER.bind(JSON.readTree(json), SUBMIT);
        }
        catch (InvalidRequestException ex) {
            assertThat(ex.problems().stream().map(FieldProblem::field).distinct()).hasSameSizeAs(ex.problems());
            return ex.problems().stream().collect(Collectors.toMap(FieldProblem::field, p -> p));
        }
        throw new AssertionError("bound without a problem: " + json);
    }
}
