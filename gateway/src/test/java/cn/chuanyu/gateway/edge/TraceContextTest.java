package cn.chuanyu.gateway.edge;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TraceContextTest {

    static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

    @Test
    void aValidTraceparentIsContinuedWithANewSpan() {
        CorrelationWebFilter.TraceContext trace =
                CorrelationWebFilter.TraceContext.continueOrStart("00-" + TRACE + "-00f067aa0ba902b7-01");
        assertThat(trace.traceId()).isEqualTo(TRACE);
        assertThat(trace.spanId()).matches("[0-9a-f]{16}").isNotEqualTo("00f067aa0ba902b7");
        assertThat(trace.header()).isEqualTo("00-" + TRACE + "-" + trace.spanId() + "-01");
        // A future version may carry more fields; its trace is still continued.
        assertThat(CorrelationWebFilter.TraceContext.continueOrStart("01-" + TRACE + "-00f067aa0ba902b7-00-x")
                .traceId()).isEqualTo(TRACE);
    }

    @Test
    void anInvalidTraceparentStartsANewTrace() {
        for (String invalid : new String[] {null, "", "garbage", "00-" + "0".repeat(32) + "-00f067aa0ba902b7-01",
            "00-" + TRACE + "-0000000000000000-01", "ff-" + TRACE + "-00f067aa0ba902b7-01",
            "00-" + TRACE.toUpperCase() + "-00f067aa0ba902b7-01", "00-" + TRACE + "-00f067aa0ba902b7-01-extra"}) {
            CorrelationWebFilter.TraceContext trace = CorrelationWebFilter.TraceContext.continueOrStart(invalid);
            assertThat(trace.traceId()).as(String.valueOf(invalid)).matches("[0-9a-f]{32}").isNotEqualTo(TRACE);
            assertThat(trace.header()).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
        }
    }
}
