package cn.chuanyu.cyx;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.json.JsonMapper;

/** Tables for people, JSON for programs. */
final class Output {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final PrintStream OUT = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
            StandardCharsets.UTF_8);

    private Output() {
    }

    /** One JSON document on one line (NDJSON when called per item). */
    static void json(Object value) {
        OUT.println(JSON.writeValueAsString(value));
    }

    static void table(List<String> headers, List<List<Object>> rows) {
        int[] widths = new int[headers.size()];
        List<List<String>> cells = new ArrayList<>();
        cells.add(headers);
        for (List<Object> row : rows) {
            cells.add(row.stream().map(v -> v == null ? "-" : v.toString().replaceAll("\\s+", " ")).toList());
        }
        for (List<String> row : cells) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], width(row.get(i)));
            }
        }
        for (List<String> row : cells) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                String cell = row.get(i);
                line.append(cell);
                if (i < row.size() - 1) {
                    line.append(" ".repeat(widths[i] - width(cell) + 2));
                }
            }
            OUT.println(line.toString().stripTrailing());
        }
    }

    /** Field/value lines for one object. */
    static void fields(List<String> names, List<Object> values) {
        List<List<Object>> rows = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            rows.add(List.of(names.get(i) + ":", values.get(i) == null ? "-" : values.get(i)));
        }
        int w = names.stream().mapToInt(String::length).max().orElse(0) + 2;
        for (List<Object> row : rows) {
            String name = row.get(0).toString();
            OUT.println(name + " ".repeat(w - name.length()) + row.get(1));
        }
    }

    /** Terminal columns a string takes: East Asian wide characters take two. */
    static int width(String s) {
        int w = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            w += (cp >= 0x1100 && (cp <= 0x115f || (cp >= 0x2e80 && cp <= 0xa4cf) || (cp >= 0xac00 && cp <= 0xd7a3)
                    || (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60)
                    || (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x20000 && cp <= 0x3fffd))) ? 2 : 1;
            i += Character.charCount(cp);
        }
        return w;
    }
}
