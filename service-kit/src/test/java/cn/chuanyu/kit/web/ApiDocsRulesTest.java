package cn.chuanyu.kit.web;

import cn.chuanyu.kit.test.ApiDocsRules;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The rules every service's API document is held to find what the documents used to show. */
class ApiDocsRulesTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void theLeaksOfOldAreEachNamed() {
        // What audit-service and evidence-exchange-service documents showed before the kit ignored Caller.
        JsonNode document = JSON.readTree("""
                {"openapi": "3.1.0", "paths": {
                  "/api/v1/evidence-packages/{id}/items/": {"put": {"operationId": "put_1",
                    "parameters": [{"name": "caller", "in": "query", "required": true,
                                    "schema": {"$ref": "#/components/schemas/Principal"}}]}},
                  "/api/v1/evidence-packages/{id}/items/{fileName}": {"put": {"operationId": "put_1",
                    "summary": "Add an item",
                    "parameters": [{"name": "who", "in": "query", "schema": {"type": "object", "properties": {
                      "id": {"type": "string"}, "role": {"type": "string"}, "region": {"type": "string"},
                      "kind": {"type": "string"}}}}]}},
                  "/api//x": {"get": {"summary": "x"}}},
                 "components": {"schemas": {"Principal": {"type": "object", "properties": {
                   "id": {"type": "string"}, "role": {"type": "string"}, "region": {"type": "string"},
                   "kind": {"type": "string"}}}}}}""");

        assertThat(ApiDocsRules.violations(document)).containsExactlyInAnyOrder(
                "/api/v1/evidence-packages/{id}/items/: path with an empty segment",
                "PUT /api/v1/evidence-packages/{id}/items/: no summary",
                "PUT /api/v1/evidence-packages/{id}/items/: parameter 'caller' (the internal principal)",
                "PUT /api/v1/evidence-packages/{id}/items/{fileName}: operationId put_1 also names "
                        + "PUT /api/v1/evidence-packages/{id}/items/",
                "PUT /api/v1/evidence-packages/{id}/items/{fileName}: parameter 'who' is an object shaped like the "
                        + "internal principal [id, role, region, kind]",
                "/api//x: path with an empty segment",
                "GET /api//x: no operationId");
        assertThatThrownBy(() -> ApiDocsRules.assertFollowsTheRules("evidence", document))
                .isInstanceOf(AssertionError.class).hasMessageContaining("parameter 'caller'");
    }

    @Test
    void aCleanDocumentPasses() {
        JsonNode document = JSON.readTree("""
                {"openapi": "3.1.0", "paths": {"/api/v1/things/{id}": {
                  "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                  "get": {"operationId": "getThing", "summary": "Read a thing",
                          "parameters": [{"name": "If-None-Match", "in": "header", "schema": {"type": "string"}}]}}}}""");
        assertThat(ApiDocsRules.violations(document)).isEmpty();
        ApiDocsRules.assertFollowsTheRules("things", document);
    }
}
