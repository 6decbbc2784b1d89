package cn.chuanyu.kit.web;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A query string must be well-formed: every {@code %} followed by two hex digits, the escapes spelling valid UTF-8,
 * and no control characters (no parameter of this API takes one). Checked on the raw query string before anything
 * parses parameters: Tomcat's own parser throws on invalid UTF-8 from {@code getParameter}, which surfaced as a 500.
 * Plain Java, so the reactive gateway can use it too.
 */
public final class QueryStrings {

    /** Names the whole query string when a parameter's own name cannot be read. */
    public static final String WHOLE = "query string";

    private QueryStrings() {
    }

    /**
     * One problem per malformed parameter, named by its decoded name (or {@link #WHOLE} when the name itself is
     * malformed), in order and each once; empty if the query string is well-formed.
     */
    public static List<FieldProblem> problems(String rawQuery) {
        List<FieldProblem> problems = new ArrayList<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return problems;
        }
        for (String pair : rawQuery.split("&", -1)) {
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            String field = name == null ? WHOLE : name;
            if ((name == null || value == null) && problems.stream().noneMatch(p -> p.field().equals(field))) {
                problems.add(new FieldProblem(field, field.equals(WHOLE)
                        ? "a parameter name is not well-formed percent-encoded UTF-8, or holds a control character"
                        : "value is not well-formed percent-encoded UTF-8, or holds a control character"));
            }
        }
        return problems;
    }

    /** The decoded text ({@code +} is a space), or null if it is malformed or holds a control character. */
    static String decode(String raw) {
        byte[] bytes = new byte[raw.length()];
        int n = 0;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    return null;
                }
                int high = Character.digit(raw.charAt(i + 1), 16);
                int low = Character.digit(raw.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    return null;
                }
                bytes[n++] = (byte) (high << 4 | low);
                i += 2;
            }
            else if (c > 0x7f) {
                // Not legal unencoded in a URI; Tomcat would read it as ISO-8859-1 or refuse the request.
                return null;
            }
            else {
                bytes[n++] = (byte) (c == '+' ? ' ' : c);
            }
        }
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        String text;
        try {
            text = utf8.decode(ByteBuffer.wrap(bytes, 0, n)).toString();
        }
        catch (CharacterCodingException ex) {
            return null;
        }
        return text.chars().anyMatch(Character::isISOControl) ? null : text;
    }
}
