package cn.chuanyu.system;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import cn.chuanyu.kit.test.TestHttp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An assistance request completed with the evidence package that carries its result, through real processes: the
 * recipient seals a package for the requester at evidence-exchange-service, case-transfer-service learns the seal
 * from the evidence.sealed event (not by calling back), and only then accepts it as the completion's package.
 */
class SealedEvidenceCompletesAssistanceIT {

    static final String REQUESTER = "sc-chengdu-intermediate-court";
    static final String RECIPIENT = "cq-yubei-public-security";

    static Platform platform;

    @BeforeAll
    static void startPlatform() {
        platform = Platform.shared();
    }

    @Test
    void aPackageTheRecipientSealedForTheRequesterCompletesTheRequestOnceItsSealHasArrived() {
        String request = post(REQUESTER, "/api/v1/assistance-requests", """
                {"type": "INVESTIGATION", "toAgency": "%s", "subject": "调取监控录像", "details": "案发路口"}"""
                .formatted(RECIPIENT), 201).json().path("id").asString();
        post(RECIPIENT, "/api/v1/assistance-requests/" + request + "/acknowledge", "{}", 200);

        String pkg = post(RECIPIENT, "/api/v1/evidence-packages", """
                {"title": "监控录像", "toAgency": "%s"}""".formatted(REQUESTER), 201).json().path("id").asString();
        String complete = "{\"result\": \"录像已调取\", \"evidencePackageId\": \"" + pkg + "\"}";
        // Not sealed yet: no such package is known to case-transfer-service.
        post(RECIPIENT, "/api/v1/assistance-requests/" + request + "/complete", complete, 422);

        TestHttp.Response item = TestHttp.send(HttpRequest.newBuilder(URI.create(platform.url("gateway")
                        + "/api/v1/evidence-packages/" + pkg + "/items/clip.txt"))
                .PUT(HttpRequest.BodyPublishers.ofString("frame " + UUID.randomUUID())),
                "Authorization", "Bearer " + platform.agencyKey(RECIPIENT), "Content-Type", "text/plain");
        assertThat(item.status()).as(item.body()).isEqualTo(201);
        post(RECIPIENT, "/api/v1/evidence-packages/" + pkg + "/seal", "{}", 200);

        // The seal travels as an event: until it arrives the answer is 422 saying so, then 200.
        AtomicReference<TestHttp.Response> last = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).until(() -> {
            last.set(TestHttp.postJson(platform.url("gateway") + "/api/v1/assistance-requests/" + request
                    + "/complete", complete, "Authorization", "Bearer " + platform.agencyKey(RECIPIENT)));
            if (last.get().status() == 422) {
                assertThat(last.get().body()).contains("evidencePackageId", "retry shortly");
            }
            return last.get().status() != 422;
        });
        assertThat(last.get().status()).as(last.get().body()).isEqualTo(200);
        assertThat(last.get().json().path("evidencePackageId").asString()).isEqualTo(pkg);
    }

    private static TestHttp.Response post(String agency, String path, String json, int expected) {
        TestHttp.Response response = TestHttp.postJson(platform.url("gateway") + path, json,
                "Authorization", "Bearer " + platform.agencyKey(agency));
        assertThat(response.status()).as(path + ": " + response.body()).isEqualTo(expected);
        return response;
    }
}
