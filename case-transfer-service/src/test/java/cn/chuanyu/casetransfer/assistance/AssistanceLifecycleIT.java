package cn.chuanyu.casetransfer.assistance;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import cn.chuanyu.casetransfer.evidence.SealedPackages;
import cn.chuanyu.casetransfer.support.Agencies;
import cn.chuanyu.contracts.EventEnvelope;
import cn.chuanyu.contracts.EventTypes;
import cn.chuanyu.contracts.EvidenceSealed;
import cn.chuanyu.contracts.Messaging;
import cn.chuanyu.kit.json.Json;
import cn.chuanyu.kit.agency.AgencyDirectory;
import cn.chuanyu.kit.identity.Caller;
import cn.chuanyu.kit.test.TestHttp;
import cn.chuanyu.kit.test.TestInfrastructure;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static cn.chuanyu.casetransfer.support.Agencies.CQ_COURT;
import static cn.chuanyu.casetransfer.support.Agencies.CQ_POLICE;
import static cn.chuanyu.casetransfer.support.Agencies.SC_COURT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "chuanyu.deadlines.scan-interval=1h")
class AssistanceLifecycleIT {

    static final String REQUEST = """
            {"type": "PERSON_LOCATE", "toAgency": "cq-yubei-public-security", "subject": "协查被执行人下落",
             "details": "被执行人张某，最后出现于渝北区"%s}""";

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.register(registry, "case_transfer");
    }

    @LocalServerPort
    int port;

    @Autowired
    AgencyDirectory agencies;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    SealedPackages sealedPackages;

    @Autowired
    RabbitTemplate rabbit;

    @BeforeEach
    void registerAgencies() {
        cn.chuanyu.casetransfer.support.Agencies.registerIn(agencies);
    }

    @Test
    void acknowledgedThenCompletedWithAnEvidencePackage() {
        String id = submit("");
        assertThat(act(CQ_POLICE, id, "acknowledge", "").json().path("state").asString()).isEqualTo("ACKNOWLEDGED");

        // Sealed by the recipient for the requester, learnt from evidence-exchange-service's event.
        String evidence = sealed(CQ_POLICE, SC_COURT);
        TestHttp.Response completed = act(CQ_POLICE, id, "complete",
                "{\"result\": \"已查明，现居渝北区某小区\", \"evidencePackageId\": \"" + evidence + "\"}");
        assertThat(completed.status()).isEqualTo(200);
        assertThat(completed.json().path("state").asString()).isEqualTo("COMPLETED");
        assertThat(completed.json().path("evidencePackageId").asString()).isEqualTo(evidence);
        assertThat(completed.header("ETag")).isEqualTo("\"2\"");
        assertThat(eventTypes(id)).containsExactly("assistance.submitted", "assistance.acknowledged",
                "assistance.completed");
    }

    @Test
    void theEvidencePackageMustBeOneTheRecipientSealedForTheRequester() {
        String id = submit("");
        String unknown = UUID.randomUUID().toString();
        // Who may complete, and when, is answered before the package is looked at.
        assertThat(act(CQ_POLICE, id, "complete", complete(unknown)).status()).isEqualTo(409);
        act(CQ_POLICE, id, "acknowledge", "");
        assertThat(act(SC_COURT, id, "complete", complete(unknown)).status()).isEqualTo(403);

        TestHttp.Response notKnown = act(CQ_POLICE, id, "complete", complete(unknown));
        assertField(notKnown, 422, "evidencePackageId");
        assertThat(notKnown.body()).contains("no sealed evidence package " + unknown + " from " + CQ_POLICE.id()
                + " to " + SC_COURT.id(), "retry shortly");
        assertField(act(CQ_POLICE, id, "complete", complete(sealed(CQ_COURT, SC_COURT))), 422, "evidencePackageId");
        assertField(act(CQ_POLICE, id, "complete", complete(sealed(CQ_POLICE, CQ_COURT))), 422, "evidencePackageId");
        // Sealed by the requester for the recipient: the wrong way round for a result.
        assertField(act(CQ_POLICE, id, "complete", complete(sealed(SC_COURT, CQ_POLICE))), 422, "evidencePackageId");
        assertThat(Agencies.get(port, CQ_POLICE, "/api/v1/assistance-requests/" + id).json().path("state")
                .asString()).isEqualTo("ACKNOWLEDGED");

        assertThat(act(CQ_POLICE, id, "complete", complete(sealed(CQ_POLICE, SC_COURT))).status()).isEqualTo(200);
    }

    @Test
    void aRedeliveredSealChangesNothingAndAMalformedOneIsDeadLettered() {
        EventEnvelope seal = seal(UUID.randomUUID().toString(), CQ_POLICE.id(), SC_COURT.id());
        publish(seal);
        publish(seal);
        publish(seal(UUID.randomUUID().toString(), CQ_POLICE.id(), null));
        publish(seal("not-a-package-id", CQ_POLICE.id(), SC_COURT.id()));
        await().atMost(Duration.ofSeconds(20)).until(() -> sealedPackages.sealedFromTo(
                UUID.fromString(seal.subject()), CQ_POLICE.id(), SC_COURT.id()));
        await().atMost(Duration.ofSeconds(20)).until(() -> deadLetters() >= 2);
        assertThat(jdbc.sql("select count(*) from sealed_package where id = :id")
                .param("id", UUID.fromString(seal.subject())).query(Integer.class).single()).isEqualTo(1);
    }

    @Test
    void declinedFromSubmittedOrAcknowledgedButNotTwice() {
        String fromSubmitted = submit("");
        assertThat(act(CQ_POLICE, fromSubmitted, "decline", "{\"reason\": \"无此人\"}").json().path("state")
                .asString()).isEqualTo("DECLINED");
        TestHttp.Response again = act(CQ_POLICE, fromSubmitted, "decline", "{\"reason\": \"再次\"}");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().path("currentState").asString()).isEqualTo("DECLINED");

        String fromAcknowledged = submit("");
        act(CQ_POLICE, fromAcknowledged, "acknowledge", "");
        assertThat(act(CQ_POLICE, fromAcknowledged, "decline", "{\"reason\": \"超出职权\"}").status()).isEqualTo(200);
    }

    @Test
    void refusedTransitionsSayWhy() {
        String id = submit("");
        assertThat(act(CQ_POLICE, id, "complete", "{\"result\": \"x\"}").json().path("currentState").asString())
                .isEqualTo("SUBMITTED");
        assertThat(act(SC_COURT, id, "acknowledge", "").status()).isEqualTo(403);
        assertThat(act(CQ_COURT, id, "acknowledge", "").status()).isEqualTo(404);
        assertThat(Agencies.get(port, CQ_COURT, "/api/v1/assistance-requests/" + id).status()).isEqualTo(404);
        assertThat(act(CQ_POLICE, id, "decline", "{}").status()).isEqualTo(400);
        assertThat(act(CQ_POLICE, id, "acknowledge", "", "If-Match", "\"3\"").status()).isEqualTo(412);
    }

    @Test
    void badRequestsNameTheFieldAndWriteNothing() {
        int before = count();
        assertField(Agencies.post(port, SC_COURT, "/api/v1/assistance-requests",
                REQUEST.replace("PERSON_LOCATE", "TELEPATHY").formatted("")), 400, "type");
        assertField(Agencies.post(port, SC_COURT, "/api/v1/assistance-requests",
                REQUEST.replace("cq-yubei-public-security", "sc-chengdu-intermediate-court").formatted("")), 422,
                "toAgency");
        assertField(Agencies.post(port, SC_COURT, "/api/v1/assistance-requests",
                REQUEST.formatted(", \"caseTransferId\": \"" + UUID.randomUUID() + "\"")), 422, "caseTransferId");
        assertField(Agencies.post(port, SC_COURT, "/api/v1/assistance-requests",
                REQUEST.formatted(", \"dueAt\": \"2001-01-01T00:00:00Z\"")), 422, "dueAt");
        assertField(Agencies.post(port, SC_COURT, "/api/v1/assistance-requests",
                REQUEST.replace("被执行人张某，最后出现于渝北区", "").formatted("")), 400, "details");
        assertThat(count()).isEqualTo(before);
    }

    @Test
    void aRequestMayBelongToATransferBetweenTheSameTwoAgencies() {
        TestHttp.Response transfer = Agencies.post(port, SC_COURT, "/api/v1/case-transfers", """
                {"caseNumber": "(2026)川01执1号", "title": "执行案", "caseType": "ENFORCEMENT",
                 "toAgency": "cq-yubei-public-security", "reason": "被执行人在渝"}""");
        String transferId = transfer.json().path("id").asString();

        TestHttp.Response linked = Agencies.post(port, SC_COURT, "/api/v1/assistance-requests",
                REQUEST.formatted(", \"caseTransferId\": \"" + transferId + "\""));
        assertThat(linked.status()).isEqualTo(201);
        assertThat(linked.json().path("caseTransferId").asString()).isEqualTo(transferId);
    }

    @Test
    void listsFilterByDirectionStateAndType() {
        String id = submit("");
        List<String> incoming = Agencies.get(port, CQ_POLICE,
                "/api/v1/assistance-requests?direction=incoming&type=PERSON_LOCATE&state=SUBMITTED&limit=200")
                .json().path("items").findValuesAsString("id");
        assertThat(incoming).contains(id);
        assertThat(Agencies.get(port, SC_COURT, "/api/v1/assistance-requests?direction=incoming&limit=200")
                .json().path("items").findValuesAsString("id")).doesNotContain(id);
    }

    private static void assertField(TestHttp.Response response, int status, String field) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().path("errors").findValuesAsString("field")).contains(field);
    }

    private String submit(String extra) {
        TestHttp.Response created = Agencies.post(port, SC_COURT, "/api/v1/assistance-requests",
                REQUEST.formatted(extra));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().path("state").asString()).isEqualTo("SUBMITTED");
        return created.json().path("id").asString();
    }

    private TestHttp.Response act(Caller caller, String id, String action, String json, String... headers) {
        return Agencies.post(port, caller, "/api/v1/assistance-requests/" + id + "/" + action,
                json.isEmpty() ? "{}" : json, headers);
    }

    private static String complete(String evidencePackageId) {
        return "{\"result\": \"已查明\", \"evidencePackageId\": \"" + evidencePackageId + "\"}";
    }

    /** Publishes evidence-exchange-service's evidence.sealed for a new package and waits until it is known here. */
    private String sealed(Caller sender, Caller recipient) {
        String packageId = UUID.randomUUID().toString();
        publish(seal(packageId, sender.id(), recipient.id()));
        await().atMost(Duration.ofSeconds(20)).until(() -> sealedPackages.sealedFromTo(UUID.fromString(packageId),
                sender.id(), recipient.id()));
        return packageId;
    }

    private static EventEnvelope seal(String packageId, String sender, String recipient) {
        return new EventEnvelope(UUID.randomUUID().toString(), "evidence-exchange-service", EventTypes.EVIDENCE_SEALED,
                packageId, Instant.now(), null, sender, recipient,
                Json.toMap(new EvidenceSealed(sender, "ab".repeat(32), "evidence-key-1", 1, 42)));
    }

    private void publish(EventEnvelope event) {
        MessageProperties properties = new MessageProperties();
        properties.setContentType("application/json");
        rabbit.send(Messaging.EVENTS_EXCHANGE, event.type(),
                new Message(Json.write(event).getBytes(StandardCharsets.UTF_8), properties));
    }

    private long deadLetters() {
        Long count = rabbit.execute(channel -> channel.queueDeclarePassive(
                Messaging.CASE_TRANSFER_SEALED_PACKAGES_QUEUE + ".dlq").getMessageCount() + 0L);
        return count == null ? 0 : count;
    }

    private int count() {
        return jdbc.sql("select count(*) from assistance_request").query(Integer.class).single();
    }

    private List<String> eventTypes(String exchangeId) {
        return jdbc.sql("select routing_key from outbox_event where payload like :subject order by seq")
                .param("subject", "%\"subject\":\"" + exchangeId + "\"%")
                .query(String.class)
                .list();
    }
}
