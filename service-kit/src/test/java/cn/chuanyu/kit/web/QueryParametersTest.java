package cn.chuanyu.kit.web;

import java.lang.reflect.Method;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QueryParametersTest {

    record Filter(String from, String to) {
    }

    @RestController
    static class Api {

        void inbox(@RequestParam(required = false) String after, @RequestParam(name = "limit") Integer size) {
        }

        void search(@PathVariable String id, @ModelAttribute Filter filter, @RequestParam("q") String query) {
        }

        void anything(@RequestParam Map<String, String> all) {
        }

        void none(@PathVariable String id) {
        }
    }

    @Test
    void declaredParametersPass() {
        assertThatCode(() -> QueryParameters.check(method("inbox"), "after=30&limit=5&limit=6")).doesNotThrowAnyException();
        assertThatCode(() -> QueryParameters.check(method("search"), "from=a&to=b&q=c")).doesNotThrowAnyException();
        assertThatCode(() -> QueryParameters.check(method("anything"), "x=1&y")).doesNotThrowAnyException();
        assertThatCode(() -> QueryParameters.check(method("none"), null)).doesNotThrowAnyException();
        assertThatCode(() -> QueryParameters.check(method("none"), "")).doesNotThrowAnyException();
    }

    @Test
    void everyUnknownParameterIsNamedAtOnce() {
        assertThatThrownBy(() -> QueryParameters.check(method("inbox"), "cursor=30&after=1&size=2&cursor=4&x%20y"))
                .isInstanceOfSatisfying(InvalidRequestException.class, ex -> {
                    assertThat(ex.problems()).extracting(FieldProblem::field).containsExactly("cursor", "size", "x y");
                    assertThat(ex.problems().get(0).message()).isEqualTo(
                            "unknown query parameter; this endpoint takes after, limit");
                });
        assertThatThrownBy(() -> QueryParameters.check(method("none"), "id=3"))
                .isInstanceOfSatisfying(InvalidRequestException.class, ex -> assertThat(ex.problems().get(0)
                        .message()).isEqualTo("unknown query parameter; this endpoint takes none"));
        assertThatThrownBy(() -> QueryParameters.check(method("search"), "id=1&%zz=2"))
                .isInstanceOfSatisfying(InvalidRequestException.class,
                        ex -> assertThat(ex.problems()).extracting(FieldProblem::field).containsExactly("id", "%zz"));
    }

    @Test
    void aValueThatWillNotConvertIsNamedWithTheUnknownParameters() {
        assertThatThrownBy(() -> QueryParameters.check(method("inbox"), "limit=abc&foo=1&after=x"))
                .isInstanceOfSatisfying(InvalidRequestException.class, ex -> {
                    assertThat(ex.problems()).extracting(FieldProblem::field).containsExactly("limit", "foo");
                    assertThat(ex.problems().get(0).message()).isEqualTo("invalid value");
                });
        // Alone, a bad value is left to the framework's type-mismatch problem.
        assertThatCode(() -> QueryParameters.check(method("inbox"), "limit=abc")).doesNotThrowAnyException();
    }

    @Test
    void onlyTheApplicationsControllersAreChecked() {
        assertThat(QueryParameters.appliesTo(Api.class)).isTrue();
        assertThat(QueryParameters.appliesTo(QueryParametersTest.class)).isFalse();
        assertThat(QueryParameters.appliesTo(
                org.springframework.boot.webmvc.autoconfigure.error.BasicErrorController.class)).isFalse();
    }

    private static Method method(String name) {
        for (Method method : Api.class.getDeclaredMethods()) {
            if (method.getName().equals(name)) {
                return method;
            }
        }
        throw new IllegalArgumentException(name);
    }
}
