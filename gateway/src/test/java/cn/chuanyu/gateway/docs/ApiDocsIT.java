package cn.chuanyu.gateway.docs;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import cn.chuanyu.gateway.GatewayTestSupport;
import cn.chuanyu.kit.test.ApiDocsRules;
import cn.chuanyu.kit.test.TestHttp;
import com.github.tomakehurst.wiremock.client.WireMock;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/** Every service's OpenAPI document and Swagger UI at the gateway, without a key. */
class ApiDocsIT extends GatewayTestSupport {

    @Test
    void eachServicesDocumentIsServedWithoutAKeyAndPointsAtTheGateway() {
        SERVICES.forEach((name, stub) -> stub.stubFor(WireMock.get(urlPathEqualTo("/v3/api-docs")).atPriority(1)
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("""
                        {"openapi":"3.1.0","info":{"title":"%s","version":"1"},
                         "servers":[{"url":"http://10.0.0.7:8081"}],"paths":{"/api/v1/x":{}}}""".formatted(name)))));

        for (String service : SERVICES.keySet()) {
            TestHttp.Response docs = TestHttp.get(url("/v3/api-docs/" + service));
            assertThat(docs.status()).as(service + " " + docs.body()).isEqualTo(200);
            JsonNode document = docs.json();
            assertThat(document.path("info").path("title").asString()).isEqualTo(service);
            assertThat(document.path("servers").get(0).path("url").asString()).isEqualTo("/");
            assertThat(document.path("components").path("securitySchemes").path("apiKey").path("scheme").asString())
                    .isEqualTo("bearer");
            assertThat(document.path("security").get(0).has("apiKey")).isTrue();
            assertThat(service(service).getAllServeEvents().get(0).getRequest().getHeader("X-Chuanyu-Principal"))
                    .isNull();
        }
    }

    @Test
    void swaggerUiAndTheGatewaysOwnDocumentNeedNoKey() throws Exception {
        TestHttp.Response ui = TestHttp.get(url("/swagger-ui.html"));
        assertThat(ui.status()).isIn(200, 302);
        TestHttp.Response index = TestHttp.get(url("/webjars/swagger-ui/index.html"));
        assertThat(index.status()).isEqualTo(200);
        TestHttp.Response config = TestHttp.get(url("/v3/api-docs/swagger-config"));
        assertThat(config.status()).isEqualTo(200);
        assertThat(config.body()).contains("/v3/api-docs/case-transfer-service", "/v3/api-docs/audit-service",
                "/v3/api-docs/evidence-exchange-service");

        // Generous timeout: the gateway builds its own document at start-up, which on a loaded machine takes a while.
        HttpResponse<String> own = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(url("/v3/api-docs"))).timeout(Duration.ofSeconds(90)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(own.statusCode()).isEqualTo(200);
        JsonNode document = JSON.readTree(own.body());
        assertThat(document.path("paths").has("/api/v1/admin/agencies")).isTrue();
        assertThat(document.path("paths").has("/fallback/{service}")).isFalse();
        assertThat(document.path("components").path("securitySchemes").has("apiKey")).isTrue();
        ApiDocsRules.assertFollowsTheRules("gateway", document);
    }
}
