package cn.chuanyu.system;

import java.time.Duration;

import cn.chuanyu.kit.test.TestHttp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The README's path, end to end through real processes: an agency submits a transfer at the gateway, the
 * recipient reads it, and an auditor finds it in the audit trail. Then the same with the service crashing
 * between commit and publish.
 */
class ExchangePathIT {

    static final String SENDER = "sc-chengdu-intermediate-court";
    static final String RECIPIENT = "cq-first-intermediate-court";
    static final String TRANSFER = """
            {"caseNumber": "(2026)川01刑初123号", "title": "跨区域诈骗案", "caseType": "CRIMINAL",
             "toAgency": "cq-first-intermediate-court", "reason": "被告人户籍地在重庆", "summary": "移送管辖"}""";

    static Platform platform;

    @BeforeAll
    static void startPlatform() {
        platform = Platform.shared();
    }

    @Test
    void aTransferSubmittedAtTheGatewayReachesTheRecipientAndTheAuditTrail() {
        TestHttp.Response created = submit();
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = created.json().path("id").asString();
        String correlationId = created.header("X-Correlation-Id");
        assertThat(correlationId).isNotBlank();

        TestHttp.Response seen = TestHttp.get(platform.url("gateway") + "/api/v1/case-transfers/" + id,
                "Authorization", "Bearer " + platform.agencyKey(RECIPIENT));
        assertThat(seen.status()).isEqualTo(200);
        assertThat(seen.json().path("fromAgency").asString()).isEqualTo(SENDER);

        JsonNode entry = awaitAuditEntry(id);
        assertThat(entry.path("type").asString()).isEqualTo("case-transfer.submitted");
        assertThat(entry.path("fromAgency").asString()).isEqualTo(SENDER);
        assertThat(entry.path("toAgency").asString()).isEqualTo(RECIPIENT);
        assertThat(entry.path("correlationId").asString()).isEqualTo(correlationId);
    }

    /**
     * Issue 13: the evidence service checks the linked transfer at case-transfer-service as itself, for the caller
     * (its own key pair, made on its first start; case-transfer-service reads the public half). The party rule is
     * the caller's: a recipient may link, an agency outside the transfer may not.
     */
    @Test
    void anEvidencePackageIsLinkedToATransferThroughTheEvidenceServicesOwnIdentity() {
        String transfer = submit().json().path("id").asString();
        String linked = "{\"title\": \"证据\", \"toAgency\": \"" + SENDER + "\", \"caseTransferId\": \""
                + transfer + "\"}";

        TestHttp.Response byParty = TestHttp.postJson(platform.url("gateway") + "/api/v1/evidence-packages", linked,
                "Authorization", "Bearer " + platform.agencyKey(RECIPIENT));
        TestHttp.Response byStranger = TestHttp.postJson(platform.url("gateway") + "/api/v1/evidence-packages",
                linked, "Authorization", "Bearer " + platform.agencyKey("cq-yubei-public-security"));

        assertThat(byParty.status()).as(byParty.body()).isEqualTo(201);
        assertThat(byParty.json().path("caseTransferId").asString()).isEqualTo(transfer);
        assertThat(byStranger.status()).as(byStranger.body()).isEqualTo(422);
        assertThat(byStranger.json().path("errors").findValuesAsString("field")).contains("caseTransferId");
    }

    @Test
    void servicePortsRefuseCallsThatDidNotComeThroughTheGateway() {
        TestHttp.Response direct = TestHttp.postJson(platform.url("case-transfer-service") + "/api/v1/case-transfers",
                TRANSFER, "X-Chuanyu-Principal", "Y3kxfHNjLWNoZW5nZHUtaW50ZXJtZWRpYXRlLWNvdXJ0.Zm9yZ2Vk");
        assertThat(direct.status()).isEqualTo(401);
        assertThat(direct.contentType()).startsWith("application/problem+json");
    }

    @Test
    void aTransferCommittedJustBeforeTheServiceCrashedIsStillAudited() {
        platform.stop("case-transfer-service");
        platform.start("case-transfer-service", "--chuanyu.outbox.relay-enabled=false");
        platform.awaitHealthy("case-transfer-service", Duration.ofSeconds(120));

        TestHttp.Response created = submit();
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = created.json().path("id").asString();
        platform.kill("case-transfer-service");

        platform.start("case-transfer-service");
        platform.awaitHealthy("case-transfer-service", Duration.ofSeconds(120));

        assertThat(awaitAuditEntry(id).path("type").asString()).isEqualTo("case-transfer.submitted");
    }

    private static TestHttp.Response submit() {
        return TestHttp.postJson(platform.url("gateway") + "/api/v1/case-transfers", TRANSFER,
                "Authorization", "Bearer " + platform.agencyKey(SENDER));
    }

    private static JsonNode awaitAuditEntry(String exchangeId) {
        String auditor = platform.credentials().path("auditor").path("apiKey").asString();
        JsonNode[] entry = new JsonNode[1];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> {
            TestHttp.Response page = TestHttp.get(platform.url("gateway") + "/api/v1/audit/entries?exchangeId="
                    + exchangeId, "Authorization", "Bearer " + auditor);
            JsonNode items = page.json().path("items");
            if (items.size() > 0) {
                assertThat(items.size()).isEqualTo(1);
                entry[0] = items.get(0);
            }
            return entry[0] != null;
        });
        return entry[0];
    }
}
