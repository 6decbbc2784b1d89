package cn.chuanyu.kit.web;

/**
 * Request data (paths, header-derived messages, parameter values) on its way into a log line: CR, LF and every
 * other control character escaped, so a client cannot end a line and forge the next one. Plain Java, for the
 * services and the reactive gateway alike.
 */
public final class LogText {

    private LogText() {
    }

    /** The text with {@code \r}, {@code \n}, {@code \t} spelled out and other controls as {@code \\uXXXX}. */
    public static String safe(Object value) {
        if (value == null) {
            return "null";
        }
        String text = value.toString();
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!Character.isISOControl(c) && c != '\u2028' && c != '\u2029') {
                if (out != null) {
                    out.append(c);
                }
                continue;
            }
            if (out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            switch (c) {
                case '\r' -> out.append("\\r");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                default -> out.append(String.format("\\u%04x", (int) c));
            }
        }
        return out == null ? text : out.toString();
    }
}
