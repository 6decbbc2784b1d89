package cn.chuanyu.kit.validation;

import java.util.Set;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class TextRulesTest {

    private static final ValidatorFactory FACTORY = Validation.buildDefaultValidatorFactory();
    private static final Validator VALIDATOR = FACTORY.getValidator();

    record Body(@AgencyId String agency, @SingleLineText String title, @FreeText String reason) {
    }

    @AfterAll
    static void close() {
        FACTORY.close();
    }

    /** Code points as hex (so the table itself holds no invisible characters); {@code ok} or the refused one. */
    @ParameterizedTest(name = "{0}: single-line {1}, free text {2}")
    @CsvSource({
            "plain ASCII,                  ok,     ok,     0041 0062",
            "Chinese,                      ok,     ok,     8DE8 533A 57DF 8BC8 9A97 6848",
            "emoji (astral),               ok,     ok,     1F4C4",
            "no-break and ideographic space, ok,   ok,     0041 00A0 3000 0042",
            "NUL (C0),                     U+0000, U+0000, 0041 0000",
            "tab (C0),                     U+0009, U+0009, 0041 0009",
            "line feed,                    U+000A, ok,     0041 000A 0042",
            "carriage return,              U+000D, U+000D, 0041 000D 000A",
            "DEL,                          U+007F, U+007F, 007F",
            "NEL (C1),                     U+0085, U+0085, 0041 0085",
            "CSI (C1),                     U+009B, U+009B, 009B",
            "RLO bidi override,            U+202E, U+202E, 0061 202E 0062",
            "LRE bidi embedding,           U+202A, U+202A, 202A",
            "RLI bidi isolate,             U+2067, U+2067, 2067",
            "PDI bidi isolate end,         U+2069, U+2069, 2069",
            "RLM mark,                     U+200F, U+200F, 200F",
            "Arabic letter mark,           U+061C, U+061C, 061C",
            "zero-width space,             U+200B, U+200B, 0061 200B",
            "zero-width joiner,            U+200D, U+200D, 200D",
            "BOM,                          U+FEFF, U+FEFF, FEFF 0061",
            "line separator,               U+2028, U+2028, 0061 2028",
            "paragraph separator,          U+2029, U+2029, 2029",
            "lone high surrogate,          U+D800, U+D800, 0061 D800",
            "lone low surrogate,           U+DC00, U+DC00, DC00",
            "decomposed (not NFC),         NFC,    NFC,    0065 0301",
            "composed (NFC),               ok,     ok,     00E9"})
    void textIsRefusedNamingTheCharacter(String what, String singleLine, String freeText, String codePoints) {
        String text = text(codePoints);
        assertThat(expectation(TextRules.singleLineProblem(text))).as(what).isEqualTo(singleLine);
        assertThat(expectation(TextRules.freeTextProblem(text))).as(what).isEqualTo(freeText);
    }

    @Test
    void theConstraintsReportEveryFieldAtOnce() {
        Set<ConstraintViolation<Body>> violations = VALIDATOR.validate(new Body("-bad-", "a\u202Eb", "x\ry"));
        assertThat(violations).extracting(v -> v.getPropertyPath().toString())
                .containsExactlyInAnyOrder("agency", "title", "reason");
        assertThat(violations).extracting(ConstraintViolation::getMessage).anyMatch(m -> m.contains("U+202E"))
                .anyMatch(m -> m.contains("U+000D")).anyMatch(m -> m.startsWith("must be an agency id"));
        assertThat(VALIDATOR.validate(new Body("cd-court-1", "跨区域诈骗案", "第一行\n第二行"))).isEmpty();
        assertThat(VALIDATOR.validate(new Body(null, null, null))).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"abc, true", "cd-first-court, true", "ab, false", "-abc, false", "abc-, false", "Abc, false",
            "a_b, false", "a.b, false"})
    void agencyIds(String id, boolean valid) {
        assertThat(VALIDATOR.validate(new Body(id, null, null))).as(id).hasSize(valid ? 0 : 1);
        assertThat(VALIDATOR.validate(new Body("a".repeat(64), null, null))).isEmpty();
        assertThat(VALIDATOR.validate(new Body("a".repeat(65), null, null))).hasSize(1);
    }

    private static String text(String codePoints) {
        StringBuilder out = new StringBuilder();
        for (String hex : codePoints.strip().split(" +")) {
            int cp = Integer.parseInt(hex, 16);
            if (cp >= 0xD800 && cp <= 0xDFFF) {
                out.append((char) cp);
            }
            else {
                out.appendCodePoint(cp);
            }
        }
        return out.toString();
    }

    private static String expectation(String problem) {
        if (problem == null) {
            return "ok";
        }
        if (problem.contains("NFC")) {
            return problem.contains("found") ? problem : "NFC";
        }
        return problem.substring(problem.indexOf("found ") + 6, problem.indexOf(')', problem.indexOf("found ")));
    }
}
