package cn.chuanyu.kit.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One entry of a problem's {@code errors[]}: the field (a JSON path such as {@code caseType} or {@code ids[2]}, or
 * a query parameter's name), what is wrong with it, and for an enum the values it takes.
 */
public record FieldProblem(String field, String message, List<String> allowed) {

    public FieldProblem(String field, String message) {
        this(field, message, null);
    }

    /** The JSON shape of an {@code errors[]} entry: {@code field}, {@code message} and, if set, {@code allowed}. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("field", field);
        map.put("message", message);
        if (allowed != null) {
            map.put("allowed", allowed);
        }
        return map;
    }
}
