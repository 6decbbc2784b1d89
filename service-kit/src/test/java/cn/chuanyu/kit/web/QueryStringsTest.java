package cn.chuanyu.kit.web;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class QueryStringsTest {

    @Test
    void wellFormedQueryStringsPass() {
        for (String query : new String[] {null, "", "limit=5", "cursor=abc&limit=1", "state=SUBMITTED&x",
            "q=%E7%8E%B0%E5%9C%BA", "q=a+b%20c", "after=", "=x", "&&", "cursor=%25%25%25"}) {
            assertThat(QueryStrings.problems(query)).as(query).isEmpty();
        }
    }

    @Test
    void invalidUtf8IsNamedByParameter() {
        assertThat(QueryStrings.problems("cursor=%00%ff")).extracting(FieldProblem::field).containsExactly("cursor");
        assertThat(QueryStrings.problems("limit=1&direction=%ff&foo=%c0%ae&direction=%ff"))
                .extracting(FieldProblem::field).containsExactly("direction", "foo");
        assertThat(QueryStrings.problems("limit=%e7%8e")).extracting(FieldProblem::field).containsExactly("limit");
        assertThat(QueryStrings.problems("limit=%ed%a0%80")).as("a lone surrogate").hasSize(1);
    }

    @Test
    void brokenEscapesAndControlCharactersAreRefused() {
        for (String query : new String[] {"limit=%", "limit=%f", "limit=%zz", "after=%0a1", "after=1%0d%0aX",
            "cursor=%00", "cursor=%7f", "cursor=%c2%85", "cursor=\u00e9"}) {
            assertThat(QueryStrings.problems(query)).as(query).extracting(FieldProblem::field)
                    .containsExactly(query.substring(0, query.indexOf('=')));
        }
    }

    @Test
    void aMalformedNameIsReportedAsTheWholeQueryString() {
        assertThat(QueryStrings.problems("%ff=1&%fe=2&limit=%ff")).extracting(FieldProblem::field)
                .containsExactly(QueryStrings.WHOLE, "limit");
    }

    @Test
    void theProblemBodyListsTheFields() {
        String body = ProblemJson.body(400, "Invalid request", "d", "/x",
                QueryStrings.problems("cursor=%ff&a%22b=%0a"));
        assertThat(body).endsWith(",\"errors\":[{\"field\":\"cursor\",\"message\":\"value is not well-formed "
                + "percent-encoded UTF-8, or holds a control character\"},{\"field\":\"a\\\"b\",\"message\":\"value is "
                + "not well-formed percent-encoded UTF-8, or holds a control character\"}]}");
    }
}
