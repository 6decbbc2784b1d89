package cn.chuanyu.casetransfer.transfer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import cn.chuanyu.contracts.AgencyKind;
import cn.chuanyu.contracts.AgencyRegistered;
import cn.chuanyu.contracts.EventEnvelope;
import cn.chuanyu.contracts.Messaging;
import cn.chuanyu.contracts.Region;
import cn.chuanyu.contracts.Role;
import cn.chuanyu.kit.agency.AgencyDirectory;
import cn.chuanyu.kit.identity.Caller;
import cn.chuanyu.kit.json.Json;
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
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The case-transfer API as a partner agency's system meets it (behind the gateway's signed principal). */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class TransferApiIT {

    static final Caller CHENGDU_COURT = agency("sc-chengdu-intermediate-court", Region.SC, AgencyKind.COURT);
    static final Caller CQ_COURT = agency("cq-first-intermediate-court", Region.CQ, AgencyKind.COURT);
    static final Caller YUBEI_POLICE = agency("cq-yubei-public-security", Region.CQ, AgencyKind.PUBLIC_SECURITY);

    static final String VALID = """
            {"caseNumber": "(2026)川01刑初123号", "title": "跨区域诈骗案", "caseType": "CRIMINAL",
             "toAgency": "cq-first-intermediate-court", "reason": "被告人户籍地在重庆", "summary": "移送管辖"}""";

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.register(registry, "case_transfer");
    }

    @LocalServerPort
    int port;

    @Autowired
    AgencyDirectory agencies;

    @Autowired
    RabbitTemplate rabbit;

    @Autowired
    JdbcClient jdbc;

    @BeforeEach
    void registerAgencies() {
        cn.chuanyu.casetransfer.support.Agencies.registerIn(agencies, CHENGDU_COURT, CQ_COURT, YUBEI_POLICE);
    }

    @Test
    void aSubmittedTransferIsCreatedVisibleToBothPartiesAndPublished() {
        TestHttp.Response created = submit(CHENGDU_COURT, VALID);

        assertThat(created.status()).isEqualTo(201);
        JsonNode body = created.json();
        String id = body.path("id").asString();
        assertThat(created.header("Location")).isEqualTo("/api/v1/case-transfers/" + id);
        assertThat(body.path("state").asString()).isEqualTo("SUBMITTED");
        assertThat(body.path("fromAgency").asString()).isEqualTo(CHENGDU_COURT.id());
        assertThat(body.path("toAgency").asString()).isEqualTo(CQ_COURT.id());
        assertThat(body.path("caseNumber").asString()).isEqualTo("(2026)川01刑初123号");
        assertThat(body.path("createdAt").asString()).isNotBlank();

        assertThat(get(CHENGDU_COURT, id).status()).isEqualTo(200);
        assertThat(get(CQ_COURT, id).json().path("id").asString()).isEqualTo(id);

        EventEnvelope event = awaitEventOnAuditQueue(id);
        assertThat(event.type()).isEqualTo("case-transfer.submitted");
        assertThat(event.source()).isEqualTo("case-transfer-service");
        assertThat(event.fromAgency()).isEqualTo(CHENGDU_COURT.id());
        assertThat(event.toAgency()).isEqualTo(CQ_COURT.id());
        assertThat(event.correlationId()).isEqualTo(created.header("X-Correlation-Id"));
        assertThat(event.data()).containsEntry("caseNumber", "(2026)川01刑初123号");
    }

    @Test
    void anAgencyThatIsNotAPartyCannotTellTheTransferExists() {
        String id = submit(CHENGDU_COURT, VALID).json().path("id").asString();

        TestHttp.Response other = get(YUBEI_POLICE, id);
        assertThat(other.status()).isEqualTo(404);
        assertThat(other.contentType()).startsWith("application/problem+json");

        TestHttp.Response unknown = get(YUBEI_POLICE, UUID.randomUUID().toString());
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().path("title").asString()).isEqualTo(other.json().path("title").asString());
    }

    @Test
    void operatorsAndAuditorsDoNotSubmitTransfers() {
        TestHttp.Response response = submit(new Caller("ops-operator", Role.OPERATOR, null, null), VALID);
        assertThat(response.status()).isEqualTo(403);
    }

    @Test
    void callsThatDidNotComeThroughTheGatewayAreRefused() {
        long before = transferCount();

        TestHttp.Response none = TestHttp.postJson(url(""), VALID);
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.contentType()).startsWith("application/problem+json");

        String forgedToken = new cn.chuanyu.kit.identity.PrincipalTokens.Issuer("gateway",
                cn.chuanyu.kit.identity.Ed25519Keys.generate().getPrivate())
                .tokenFor(CHENGDU_COURT, "case-transfer-service", "POST", "/api/v1/case-transfers", Instant.now());
        TestHttp.Response forged = TestHttp.postJson(url(""), VALID, "X-Chuanyu-Principal", forgedToken);
        assertThat(forged.status()).isEqualTo(401);
        assertThat(transferCount()).isEqualTo(before);
    }

    @Test
    void badInputGetsAProblemNamingTheFieldAndWritesNothing() {
        long before = transferCount();

        assertField(submit(CHENGDU_COURT, "{\"caseNumber\": "), 400, null);
        assertField(submit(CHENGDU_COURT, VALID.replace("\"summary\"", "\"bogus\": 1, \"summary\"")), 400, "bogus");
        assertField(submit(CHENGDU_COURT, VALID.replace("CRIMINAL", "MURDER")), 400, "caseType");
        assertField(submit(CHENGDU_COURT, VALID.replace("\"跨区域诈骗案\"", "42.5e400")), 400, "title");
        assertField(submit(CHENGDU_COURT, VALID.replace("\"CRIMINAL\"", "1")), 400, "caseType");
        assertField(submit(CHENGDU_COURT, VALID.replace("{", "{\"title\": \"twice\", ")), 400, null);
        assertField(submit(CHENGDU_COURT, VALID + " []"), 400, null);
        assertField(submit(CHENGDU_COURT, "[]"), 400, null);
        assertField(submit(CHENGDU_COURT, "{\"caseType\": \"CIVIL\"}"), 400, "caseNumber");
        assertField(submit(CHENGDU_COURT, VALID.replace("跨区域诈骗案", "a\\u0000b")), 400, "title");
        assertField(submit(CHENGDU_COURT, VALID.replace("cq-first-intermediate-court", "../../etc")), 400,
                "toAgency");
        assertField(submit(CHENGDU_COURT, VALID.replace("cq-first-intermediate-court", "cq-no-such-agency")), 422,
                "toAgency");
        assertField(submit(CHENGDU_COURT, VALID.replace("cq-first-intermediate-court", CHENGDU_COURT.id())), 422,
                "toAgency");
        assertField(submit(CHENGDU_COURT, VALID.replace("移送管辖", "x".repeat(20001))), 400, "summary");
        assertThat(get(CHENGDU_COURT, "not-a-uuid").status()).isEqualTo(400);

        assertThat(transferCount()).isEqualTo(before);
    }

    @Test
    void agenciesAnnouncedOnTheBusBecomeValidRecipients() {
        String newcomer = "cq-wanzhou-court-" + UUID.randomUUID().toString().substring(0, 8);
        EventEnvelope registered = new EventEnvelope(UUID.randomUUID().toString(), "gateway", "agency.registered",
                newcomer, Instant.now(), null, newcomer, null,
                Json.toMap(new AgencyRegistered(newcomer, "万州区人民法院", Region.CQ, AgencyKind.COURT)));
        MessageProperties properties = new MessageProperties();
        properties.setContentType("application/json");
        rabbit.send(Messaging.EVENTS_EXCHANGE, registered.type(),
                new Message(Json.write(registered).getBytes(StandardCharsets.UTF_8), properties));

        await().atMost(Duration.ofSeconds(20)).until(() -> agencies.exists(newcomer));
        assertThat(submit(CHENGDU_COURT, VALID.replace("cq-first-intermediate-court", newcomer)).status())
                .isEqualTo(201);
    }

    private static void assertField(TestHttp.Response response, int status, String field) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        if (field != null) {
            assertThat(response.json().path("errors").findValuesAsString("field")).contains(field);
        }
    }

    private EventEnvelope awaitEventOnAuditQueue(String exchangeId) {
        EventEnvelope[] found = new EventEnvelope[1];
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            Message message = rabbit.receive(Messaging.AUDIT_QUEUE, 500);
            if (message != null) {
                EventEnvelope event = Json.read(message.getBody());
                if (exchangeId.equals(event.subject())) {
                    found[0] = event;
                }
            }
            return found[0] != null;
        });
        return found[0];
    }

    private long transferCount() {
        return jdbc.sql("select count(*) from case_transfer").query(Long.class).single();
    }

    private TestHttp.Response submit(Caller caller, String json) {
        return TestHttp.postJson(url(""), json, "X-Chuanyu-Principal", TestInfrastructure.token(caller));
    }

    private TestHttp.Response get(Caller caller, String id) {
        return TestHttp.get(url("/" + id), "X-Chuanyu-Principal", TestInfrastructure.token(caller));
    }

    private String url(String path) {
        return "http://localhost:" + port + "/api/v1/case-transfers" + path;
    }

    private static Caller agency(String id, Region region, AgencyKind kind) {
        return new Caller(id, Role.AGENCY, region, kind);
    }
}
