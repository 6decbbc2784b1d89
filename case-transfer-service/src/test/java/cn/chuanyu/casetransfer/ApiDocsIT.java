package cn.chuanyu.casetransfer;

import cn.chuanyu.kit.test.ApiDocsRules;
import cn.chuanyu.kit.test.TestHttp;
import cn.chuanyu.kit.test.TestInfrastructure;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** The OpenAPI document partner integrators build against: every endpoint, every field, every error. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ApiDocsIT {

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.register(registry, "case_transfer");
    }

    @LocalServerPort
    int port;

    @Test
    void theDocumentCoversEveryEndpointFieldAndProblem() {
        TestHttp.Response response = TestHttp.get("http://localhost:" + port + "/v3/api-docs");
        assertThat(response.status()).isEqualTo(200);
        JsonNode doc = response.json();

        assertThat(doc.path("paths").propertyNames()).contains("/api/v1/case-transfers",
                "/api/v1/case-transfers/{id}", "/api/v1/case-transfers/{id}/accept",
                "/api/v1/case-transfers/{id}/reject", "/api/v1/case-transfers/{id}/withdraw",
                "/api/v1/assistance-requests", "/api/v1/assistance-requests/{id}/acknowledge",
                "/api/v1/assistance-requests/{id}/complete", "/api/v1/assistance-requests/{id}/decline",
                "/api/v1/inbox", "/api/v1/webhooks", "/api/v1/webhooks/{id}/deliveries");
        JsonNode accept = doc.path("paths").path("/api/v1/case-transfers/{id}/accept").path("post");
        assertThat(accept.path("responses").propertyNames()).contains("200", "400", "403", "404", "409", "412");
        assertThat(accept.path("parameters").findValuesAsString("name")).contains("If-Match", "Idempotency-Key");
        assertThat(doc.path("components").path("schemas").path("SubmitTransferRequest").path("properties")
                .propertyNames()).contains("caseNumber", "title", "caseType", "toAgency", "reason", "summary",
                        "decisionDueAt");
        assertThat(doc.path("components").path("schemas").path("SubmitTransferRequest").path("required")
                .valueStream().map(JsonNode::asString)).contains("caseNumber", "caseType", "toAgency", "reason");
        assertThat(doc.path("components").path("schemas").path("Problem").path("properties").propertyNames())
                .contains("title", "status", "detail", "errors", "currentState");
        // The principal is the gateway's business, not a parameter clients fill in; and more rules for all.
        ApiDocsRules.assertFollowsTheRules("case-transfer-service", doc);
    }
}
