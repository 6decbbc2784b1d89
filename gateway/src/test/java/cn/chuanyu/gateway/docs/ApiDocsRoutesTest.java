package cn.chuanyu.gateway.docs;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class ApiDocsRoutesTest {

    @Test
    void aServiceDocumentIsPointedAtTheGatewayAndDeclaresTheApiKey() {
        String rewritten = ApiDocsRoutes.throughGateway("""
                {"openapi":"3.1.0","servers":[{"url":"http://10.1.2.3:8081"}],
                 "components":{"schemas":{"X":{"type":"object"}}},"paths":{}}""");
        JsonNode document = JsonMapper.builder().build().readTree(rewritten);
        assertThat(document.path("servers")).hasSize(1);
        assertThat(document.path("servers").get(0).path("url").asString()).isEqualTo("/");
        assertThat(document.path("components").path("schemas").has("X")).isTrue();
        assertThat(document.path("components").path("securitySchemes").path("apiKey").path("type").asString())
                .isEqualTo("http");
        assertThat(document.path("security").get(0).has("apiKey")).isTrue();
    }

    @Test
    void anythingElseIsPassedOnUntouched() {
        assertThat(ApiDocsRoutes.throughGateway("<html>error</html>")).isEqualTo("<html>error</html>");
        assertThat(ApiDocsRoutes.throughGateway("{\"status\":503}")).isEqualTo("{\"status\":503}");
        assertThat(ApiDocsRoutes.throughGateway(null)).isNull();
    }
}
