package cn.chuanyu.kit.web;

/**
 * RFC 9457 problem bodies for the places that answer before Spring MVC's exception handling exists: servlet
 * filters and the reactive gateway.
 */
public final class ProblemJson {

    public static final String MEDIA_TYPE = "application/problem+json";

    private ProblemJson() {
    }

    public static String body(int status, String title, String detail, String instance) {
        return "{\"type\":\"about:blank\",\"title\":" + quote(title) + ",\"status\":" + status
                + ",\"detail\":" + quote(detail) + ",\"instance\":" + quote(instance) + "}";
    }

    /** A 400-style problem with {@code errors[]}: one entry per field, as the MVC problem handler writes it. */
    public static String body(int status, String title, String detail, String instance,
            java.util.List<FieldProblem> errors) {
        StringBuilder list = new StringBuilder("[");
        for (FieldProblem error : errors) {
            list.append(list.length() > 1 ? "," : "").append("{\"field\":").append(quote(error.field()))
                    .append(",\"message\":").append(quote(error.message())).append('}');
        }
        String plain = body(status, title, detail, instance);
        return plain.substring(0, plain.length() - 1) + ",\"errors\":" + list.append(']') + "}";
    }

    static String quote(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    }
                    else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
