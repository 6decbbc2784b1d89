package cn.chuanyu.kit.web;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LogTextTest {

    @Test
    void lineBreaksAndControlsCannotForgeALogLine() {
        assertThat(LogText.safe("1\n2026-01-01 INFO forged\r\n")).isEqualTo("1\\n2026-01-01 INFO forged\\r\\n");
        assertThat(LogText.safe("a\u0000b\u001b[31m\u0085\u2028")).isEqualTo("a\\u0000b\\u001b[31m\\u0085\\u2028");
        assertThat(LogText.safe("/api/v1/案件?x=%0a")).isEqualTo("/api/v1/案件?x=%0a");
        assertThat(LogText.safe(null)).isEqualTo("null");
    }
}
