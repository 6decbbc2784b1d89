package cn.chuanyu.audit.entry;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EntryExportTest {

    /** OWASP CSV injection: a spreadsheet would run these as formulas; a leading quote makes them text. */
    @ParameterizedTest
    @ValueSource(strings = {"=HYPERLINK(\"http://evil.example\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A2)",
        "\tx", "\rx"})
    void aCellAFormulaCouldStartWithIsNeutralised(String text) {
        String field = EntryExport.field(text);

        String unquoted = field.startsWith("\"") ? field.substring(1, field.length() - 1).replace("\"\"", "\"")
                : field;
        assertThat(unquoted).isEqualTo("'" + text);
    }

    @Test
    void plainTextNumbersAndEmptyCellsAreKept() {
        assertThat(EntryExport.field("case-transfer.submitted")).isEqualTo("case-transfer.submitted");
        assertThat(EntryExport.field("a,b")).isEqualTo("\"a,b\"");
        assertThat(EntryExport.field("")).isEmpty();
        assertThat(EntryExport.field(null)).isEmpty();
        assertThat(EntryExport.field(-3L)).isEqualTo("-3");
        assertThat(EntryExport.field(12L)).isEqualTo("12");
    }
}
