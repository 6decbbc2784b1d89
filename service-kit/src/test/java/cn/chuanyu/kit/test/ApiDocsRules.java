package cn.chuanyu.kit.test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every OpenAPI document of the platform must honour, a service's own or the gateway's copy of it: it shows
 * the API, not the internals. No parameter is the internal principal (a {@code caller}, or an object shaped like
 * {@code cn.chuanyu.kit.identity.Caller}: the gateway vouches for it, a client never sends it); no path has an
 * empty segment (a trailing {@code /} is a path with no name in it); every operation has a summary and a unique
 * operationId.
 */
public final class ApiDocsRules {

    /** The fields of {@code Caller}: an object parameter with all of them is the principal leaking out. */
    private static final Set<String> PRINCIPAL_FIELDS = Set.of("id", "role", "region", "kind");

    private ApiDocsRules() {
    }

    /** Fails, naming every violation at once, unless {@code document} follows the rules. */
    public static void assertFollowsTheRules(String name, JsonNode document) {
        assertThat(document.path("openapi").asString("")).as(name + ": an OpenAPI document").startsWith("3.");
        assertThat(document.path("paths").size()).as(name + ": paths").isPositive();
        assertThat(violations(document)).as(name + ": API document rule violations").isEmpty();
    }

    /** Every break of the rules, one line each ({@code METHOD path: what}). */
    public static List<String> violations(JsonNode document) {
        List<String> found = new ArrayList<>();
        Map<String, String> operationIds = new HashMap<>();
        for (Map.Entry<String, JsonNode> path : document.path("paths").properties()) {
            String url = path.getKey();
            if (url.endsWith("/") || url.contains("//") || !url.startsWith("/")) {
                found.add(url + ": path with an empty segment");
            }
            for (JsonNode parameter : path.getValue().path("parameters")) {
                checkParameter(document, url, parameter, found);
            }
            for (Map.Entry<String, JsonNode> entry : path.getValue().properties()) {
                if (!HTTP_METHODS.contains(entry.getKey())) {
                    continue;
                }
                String operation = entry.getKey().toUpperCase() + " " + url;
                JsonNode op = entry.getValue();
                if (op.path("summary").asString("").isBlank()) {
                    found.add(operation + ": no summary");
                }
                String id = op.path("operationId").asString("");
                if (id.isBlank()) {
                    found.add(operation + ": no operationId");
                }
                else if (operationIds.putIfAbsent(id, operation) != null) {
                    found.add(operation + ": operationId " + id + " also names " + operationIds.get(id));
                }
                for (JsonNode parameter : op.path("parameters")) {
                    checkParameter(document, operation, parameter, found);
                }
            }
        }
        for (Map.Entry<String, JsonNode> parameter : document.path("components").path("parameters").properties()) {
            checkParameter(document, "components.parameters." + parameter.getKey(), parameter.getValue(), found);
        }
        if (document.path("components").path("schemas").has("Caller")) {
            found.add("components.schemas.Caller: the internal principal as a schema");
        }
        return found;
    }

    private static final Set<String> HTTP_METHODS = Set.of("get", "put", "post", "delete", "options", "head",
            "patch", "trace");

    private static void checkParameter(JsonNode document, String where, JsonNode parameter, List<String> found) {
        parameter = resolve(document, parameter);
        String name = parameter.path("name").asString("");
        if (name.equalsIgnoreCase("caller")) {
            found.add(where + ": parameter '" + name + "' (the internal principal)");
            return;
        }
        JsonNode schema = resolve(document, parameter.path("schema"));
        JsonNode properties = schema.path("properties");
        if (properties.isObject() && properties.size() > 0
                && properties.propertyNames().containsAll(PRINCIPAL_FIELDS)) {
            found.add(where + ": parameter '" + name + "' is an object shaped like the internal principal "
                    + properties.propertyNames());
        }
    }

    /** Follows a local {@code $ref} ({@code #/components/...}); anything else is returned as it is. */
    private static JsonNode resolve(JsonNode document, JsonNode node) {
        for (int hops = 0; hops < 10 && node.has("$ref"); hops++) {
            String ref = node.path("$ref").asString("");
            if (!ref.startsWith("#/")) {
                return node;
            }
            node = document.at(ref.substring(1));
        }
        return node;
    }
}
