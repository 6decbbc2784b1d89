package cn.chuanyu.evidence.evidencepackage;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one rule for item names. Names are written with {@code \\uXXXX} escapes in the table (unescaped before use), so
 * the table holds no invisible characters itself.
 */
class FileNamesTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            // name                          | null (accepted) or a word of the reason
            "report.pdf                      |",
            "鉴定意见书 (2026) 第3号.pdf       |",
            "a;b c.txt                       |",
            "100%.txt                        |",
            "50% off.txt                     |",
            "x%zz.txt                        |",
            "report.v2.final.pdf             |",
            ".hidden                         |",
            "CONSOLE.txt                     |",
            "COM10.txt                       |",
            "NULL                            |",
            "\\u00E9.txt                     |",
            "\\uD83D\\uDCC4 scan.pdf         |",
            "a\\u00A0b.txt                   |",
            "\"\"                            | empty",
            "\" \"                           | blank",
            "\\u3000\\u3000                  | blank",
            "\\u00A0                         | blank",
            ".                               | ..",
            "..                              | ..",
            "a..b                            | ..",
            "a/b                             | /",
            "a\\\\b                          | /",
            "a\\u0000b                       | U+0000",
            "a\\u0009b                       | U+0009",
            "a\\u007Fb                       | U+007F",
            "a\\u0085b                       | U+0085",
            "a\\u009Bb                       | U+009B",
            "\\u202Etxt.exe                  | U+202E",
            "a\\u2066b                       | U+2066",
            "a\\u200Eb                       | U+200E",
            "a\\u061Cb                       | U+061C",
            "a\\u200Bb.txt                   | U+200B",
            "a\\u200Db.txt                   | U+200D",
            "a\\u2060b.txt                   | U+2060",
            "\\uFEFFa.txt                    | U+FEFF",
            "a\\u00ADb.txt                   | U+00AD",
            "a\\u2028b                       | U+2028",
            "a\\u2029b                       | U+2029",
            "a\\uD800b                       | U+D800",
            "\\u3164.txt                     | U+3164",
            "a\\uFF0Fb                       | U+FF0F",
            "a\\uFF3Cb                       | U+FF3C",
            "a\\u2215b                       | U+2215",
            "a\\u2044b                       | U+2044",
            "a\\u29F8b                       | U+29F8",
            "\\uFF0E\\uFF0E                  | U+FF0E",
            "a\\uFE52b                       | U+FE52",
            "a\\u2024b                       | U+2024",
            "a.txt.                          | end with",
            "\"a.txt \"                      | end with",
            "\" a.txt\"                      | start with",
            "a.txt\\u3000                    | end with",
            "CON                             | Windows",
            "con.txt                         | Windows",
            "Prn.tar.gz                      | Windows",
            "AUX                             | Windows",
            "NUL.pdf                         | Windows",
            "COM1                            | Windows",
            "com9.log                        | Windows",
            "LPT1.txt                        | Windows",
            "lpt9                            | Windows",
            "COM\\u00B9.txt                  | Windows",
            "\"CON .txt\"                    | Windows",
            "a%2Fb                           | percent-escape",
            "100%25.txt                      | percent-escape",
            "a%C3%A9                         | percent-escape",
    })
    void everyWayANameCanMisleadIsRefused(String escaped, String reason) {
        String name = FileNames.normalise(unescape(escaped == null ? "" : escaped));
        String problem = FileNames.problem(name);
        if (reason == null) {
            assertThat(problem).as(escaped).isNull();
        }
        else {
            assertThat(problem).as(escaped).isNotNull().startsWith("file name").contains(reason);
        }
    }

    @ParameterizedTest
    @CsvSource({"255, true", "256, false"})
    void atMost255BytesOfUtf8(int bytes, boolean accepted) {
        assertThat(FileNames.problem("x".repeat(bytes)) == null).isEqualTo(accepted);
        // 鉴 is three bytes in UTF-8: 85 of them are 255 bytes, 86 are 258.
        assertThat(FileNames.problem("鉴".repeat(bytes / 3)) == null).isEqualTo(bytes / 3 * 3 <= 255);
    }

    @ParameterizedTest
    @CsvSource({"e\\u0301.txt, \\u00E9.txt", "\\u1100\\u1161.txt, \\uAC00.txt", "A\\u030A, \\u00C5"})
    void namesAreTakenInNfcSoLookAlikeSpellingsAreOneName(String decomposed, String composed) {
        assertThat(FileNames.normalise(unescape(decomposed))).isEqualTo(unescape(composed));
        assertThat(FileNames.problem(unescape(decomposed))).contains("NFC");
        // Case is kept and compared as is: two names that differ in case are two items.
        assertThat(FileNames.normalise("Report.PDF")).isNotEqualTo(FileNames.normalise("report.pdf"));
    }

    private static String unescape(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length() && s.charAt(i + 1) == 'u') {
                out.append((char) Integer.parseInt(s.substring(i + 2, i + 6), 16));
                i += 5;
            }
            else if (c == '\\' && i + 1 < s.length() && s.charAt(i + 1) == '\\') {
                out.append('\\');
                i++;
            }
            else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
