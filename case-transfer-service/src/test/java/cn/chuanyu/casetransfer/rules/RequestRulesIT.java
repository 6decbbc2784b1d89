package cn.chuanyu.casetransfer.rules;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import cn.chuanyu.casetransfer.support.Agencies;
import cn.chuanyu.casetransfer.transfer.CaseType;
import cn.chuanyu.contracts.Role;
import cn.chuanyu.kit.agency.AgencyDirectory;
import cn.chuanyu.kit.identity.Caller;
import cn.chuanyu.kit.test.TestHttp;
import cn.chuanyu.kit.test.TestInfrastructure;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import static cn.chuanyu.casetransfer.support.Agencies.CQ_COURT;
import static cn.chuanyu.casetransfer.support.Agencies.CQ_POLICE;
import static cn.chuanyu.casetransfer.support.Agencies.SC_COURT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The request rules every endpoint follows (the kit's): lists page with limit and an opaque cursor, unknown query
 * parameters are refused by name, and one 400 names every problem of a body.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RequestRulesIT {

    static final Caller OPERATOR = new Caller("ops-operator", Role.OPERATOR, null, null);

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

    @BeforeEach
    void registerAgencies() {
        cn.chuanyu.casetransfer.support.Agencies.registerIn(agencies);
    }

    @Test
    void opsExchangesPageByCursorWithNoRepeatsAndNoGapsAlsoAmongEqualDeadlines() {
        // 28 overdue transfers, half of them due at the very same instant: only (due_at, id) orders those.
        Instant sameDue = Instant.now().minus(3, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        List<UUID> mine = new ArrayList<>();
        for (int i = 0; i < 28; i++) {
            mine.add(insertOverdueTransfer(i < 14 ? sameDue : sameDue.plusSeconds(60L * i)));
        }
        List<String> expected = jdbc.sql("""
                select id::text from (
                  select id, decision_due_at as due_at from case_transfer where state = 'SUBMITTED'
                  union all
                  select id, due_at from assistance_request where state in ('SUBMITTED', 'ACKNOWLEDGED')
                ) open where due_at < now() order by due_at, id""").query(String.class).list();

        List<String> served = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            TestHttp.Response page = get(OPERATOR, "/api/v1/ops/exchanges?limit=3"
                    + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(page.status()).as(page.body()).isEqualTo(200);
            JsonNode body = page.json();
            assertThat(body.path("items").size()).isLessThanOrEqualTo(3);
            body.path("items").forEach(item -> served.add(item.path("id").asString()));
            cursor = body.path("nextCursor").isNull() ? null : body.path("nextCursor").asString();
            assertThat(++pages).isLessThan(1000);
        } while (cursor != null);

        assertThat(pages).isGreaterThanOrEqualTo(10);
        assertThat(new HashSet<>(served)).as("no item served twice").hasSameSizeAs(served);
        assertThat(served).as("every open exchange, in deadline order").containsExactlyElementsOf(expected);
        assertThat(served).containsAll(mine.stream().map(UUID::toString).toList());

        assertProblem(get(OPERATOR, "/api/v1/ops/exchanges?cursor=30"), "cursor");
        assertProblem(get(OPERATOR, "/api/v1/ops/exchanges?limit=501"), "limit");
        assertProblem(get(OPERATOR, "/api/v1/ops/exchanges?limit=abc"), "limit");
    }

    @Test
    void everyListAnswersItemsAndNextCursor() {
        UUID hook = UUID.randomUUID();
        jdbc.sql("""
                insert into webhook (id, agency_id, url, secret, created_at)
                values (:id, :agency, 'https://example.org/hook', 'whsec_test', now())""")
                .param("id", hook)
                .param("agency", CQ_POLICE.id())
                .update();
        for (String path : List.of("/api/v1/case-transfers", "/api/v1/assistance-requests", "/api/v1/webhooks",
                "/api/v1/webhooks/" + hook + "/deliveries")) {
            TestHttp.Response list = get(CQ_POLICE, path + "?limit=1");
            assertThat(list.status()).as(path + ": " + list.body()).isEqualTo(200);
            assertThat(list.json().path("items").isArray()).as(path).isTrue();
            assertThat(list.json().has("nextCursor")).as(path).isTrue();
            assertProblem(get(CQ_POLICE, path + "?cursor=not-one"), "cursor");
        }
        TestHttp.Response deliveries = get(OPERATOR, "/api/v1/ops/webhook-deliveries?limit=1");
        assertThat(deliveries.json().path("items").isArray()).isTrue();
        assertThat(deliveries.json().has("nextCursor")).isTrue();
        jdbc.sql("update webhook set deleted_at = now() where id = :id").param("id", hook).update();
    }

    @Test
    void theInboxRefusesCursorByNameAndSaysItPagesWithAfter() {
        TestHttp.Response response = get(CQ_COURT, "/api/v1/inbox?cursor=30");
        JsonNode errors = assertProblem(response, "cursor");
        assertThat(errors.get(0).path("message").asString()).contains("after", "limit");

        TestHttp.Response several = get(CQ_COURT, "/api/v1/inbox?after=0&cursor=30&page=2&limit=5");
        assertProblem(several, "cursor", "page");
        assertThat(get(CQ_COURT, "/api/v1/inbox?after=0&limit=5").status()).isEqualTo(200);
    }

    @Test
    void unknownQueryParametersAreRefusedEverywhereButActuatorAndTheApiDocument() {
        String id = Agencies.post(port, SC_COURT, "/api/v1/case-transfers", """
                {"caseNumber": "(2026)川01刑初9号", "title": "t", "caseType": "CIVIL",
                 "toAgency": "cq-first-intermediate-court", "reason": "r"}""").json().path("id").asString();
        assertProblem(get(SC_COURT, "/api/v1/case-transfers/" + id + "?verbose=true"), "verbose");
        assertProblem(get(SC_COURT, "/api/v1/case-transfers?sort=asc&state=SUBMITTED"), "sort");
        assertProblem(Agencies.post(port, CQ_COURT, "/api/v1/case-transfers/" + id + "/accept?force=1", "{}"),
                "force");
        assertProblem(get(OPERATOR, "/api/v1/ops/exchanges?overdue=false&offset=20"), "offset");

        assertThat(TestHttp.get("http://localhost:" + port + "/actuator/health?probe=1").status()).isEqualTo(200);
        assertThat(TestHttp.get("http://localhost:" + port + "/v3/api-docs?group=x").status()).isEqualTo(200);
    }

    @Test
    void invalidPercentEncodingInAQueryIsA400NamingTheParameterOnEveryList() {
        for (String path : List.of("/api/v1/case-transfers", "/api/v1/assistance-requests", "/api/v1/inbox",
                "/api/v1/webhooks", "/api/v1/ops/exchanges", "/api/v1/ops/webhook-deliveries")) {
            Caller caller = path.contains("/ops/") ? OPERATOR : CQ_POLICE;
            String pages = path.endsWith("/inbox") ? "after" : "cursor";
            assertProblem(get(caller, path + "?" + pages + "=%00%ff"), pages);
            assertProblem(get(caller, path + "?limit=%ff"), "limit");
            assertProblem(get(caller, path + "?limit=1&" + pages + "=%c0%ae"), pages);
            // The unknown-parameter rule reads names too: a malformed one is still a 400, never a 500.
            assertProblem(get(caller, path + "?foo=%ff"), "foo");
            assertProblem(get(caller, path + "?%ff=1"), "query string");
        }
        assertProblem(get(CQ_POLICE, "/api/v1/case-transfers?direction=%ff"), "direction");
        assertProblem(get(CQ_POLICE, "/api/v1/inbox?after=%0a2026-01-01%20INFO%20forged"), "after");
    }

    @Test
    void pathsTomcatRefusesAreAProblemNotAnHtmlPage() {
        for (String path : List.of("/api/v1/case-transfers/%00", "/api/v1/case-transfers/%c0%ae",
                "/api/v1/case-transfers/%c0%af", "/api/v1/case-transfers/%ff", "/api/v1/inbox/a%0d%0aX-Forged:%201",
                "/%00", "/actuator/%c0%ae%c0%ae/env")) {
            TestHttp.Response response = get(CQ_POLICE, path);
            assertThat(response.status()).as(path + ": " + response.body()).isEqualTo(400);
            assertThat(response.contentType()).as(path + ": " + response.body())
                    .startsWith("application/problem+json");
            assertThat(response.json().path("status").asInt()).as(path).isEqualTo(400);
        }
    }

    @Test
    void thePagingRulesAndWhyTheInboxDiffersAreInTheApiDocument() {
        JsonNode paths = TestHttp.get("http://localhost:" + port + "/v3/api-docs").json().path("paths");
        for (String path : List.of("/api/v1/case-transfers", "/api/v1/assistance-requests", "/api/v1/webhooks",
                "/api/v1/webhooks/{id}/deliveries", "/api/v1/ops/exchanges", "/api/v1/ops/webhook-deliveries")) {
            Map<String, JsonNode> parameters = new HashMap<>();
            paths.path(path).path("get").path("parameters").forEach(p -> parameters.put(p.path("name").asString(), p));
            assertThat(parameters).as(path).containsKeys("limit", "cursor");
            assertThat(parameters.get("limit").path("schema").path("maximum").asInt()).as(path).isEqualTo(500);
            assertThat(parameters.get("limit").path("schema").path("default").asInt()).as(path).isEqualTo(50);
            assertThat(parameters.get("cursor").path("description").asString()).as(path).contains("nextCursor");
        }
        JsonNode inbox = paths.path("/api/v1/inbox").path("get").path("parameters");
        assertThat(inbox.findValuesAsString("name")).containsExactlyInAnyOrder("after", "limit");
        assertThat(inbox.valueStream().filter(p -> p.path("name").asString().equals("after")).findFirst()
                .orElseThrow().path("description").asString()).contains("never runs out");
    }

    @Test
    void oneAnswerNamesEveryProblemOfABody() {
        long before = jdbc.sql("select count(*) from case_transfer").query(Long.class).single();
        TestHttp.Response response = Agencies.post(port, SC_COURT, "/api/v1/case-transfers",
                "{\"caseNumber\":\"X1\",\"caseType\":\"MURDER\",\"bogus\":1}");

        JsonNode errors = assertProblem(response, "caseType", "bogus", "title", "toAgency", "reason");
        Map<String, JsonNode> byField = byField(errors);
        assertThat(byField.get("caseType").path("allowed").valueStream().map(JsonNode::asString))
                .containsExactly(java.util.Arrays.stream(CaseType.values()).map(Enum::name).toArray(String[]::new));
        assertThat(byField.get("caseType").path("message").asString()).contains("CRIMINAL", "CIVIL");
        assertThat(byField.get("bogus").path("message").asString()).startsWith("unknown field");
        assertThat(byField.get("toAgency").path("message").asString()).isEqualTo("must not be blank");
        assertThat(response.json().path("title").asString()).isEqualTo("Invalid request");
        assertThat(response.json().path("detail").asString()).contains("caseType", "bogus", "reason");

        // A pattern violation is named beside a bad type, and a wrong type is not also "missing".
        JsonNode more = assertProblem(Agencies.post(port, SC_COURT, "/api/v1/case-transfers", """
                {"caseNumber": "a\\u0007b", "title": 42, "caseType": "CIVIL", "toAgency": "../etc", "reason": "r",
                 "decisionDueAt": "yesterday"}"""), "caseNumber", "title", "toAgency", "decisionDueAt");
        assertThat(byField(more).get("title").path("message").asString()).isEqualTo("must be a string");
        assertThat(jdbc.sql("select count(*) from case_transfer").query(Long.class).single()).isEqualTo(before);
    }

    @Test
    void actionAndWebhookBodiesFollowTheSameRule() {
        String request = Agencies.post(port, SC_COURT, "/api/v1/assistance-requests", """
                {"type": "PERSON_LOCATE", "toAgency": "cq-yubei-public-security", "subject": "s", "details": "d"}""")
                .json().path("id").asString();
        assertProblem(Agencies.post(port, CQ_POLICE, "/api/v1/assistance-requests/" + request + "/decline",
                "{\"reason\": \" \", \"note\": \"x\"}"), "reason", "note");
        assertProblem(Agencies.post(port, SC_COURT, "/api/v1/assistance-requests",
                "{\"type\": \"TELEPATHY\", \"dueAt\": \"soon\", \"caseTransferId\": \"nope\"}"),
                "type", "dueAt", "caseTransferId", "toAgency", "subject", "details");
        assertProblem(Agencies.post(port, CQ_POLICE, "/api/v1/webhooks", "{\"url\": 1, \"secret\": \"mine\"}"),
                "url", "secret");
    }

    private UUID insertOverdueTransfer(Instant due) {
        UUID id = UUID.randomUUID();
        Timestamp created = Timestamp.from(due.minus(15, ChronoUnit.DAYS));
        Map<String, Object> params = new HashMap<>();
        params.put("id", id);
        params.put("due", Timestamp.from(due));
        params.put("created", created);
        jdbc.sql("""
                insert into case_transfer (id, case_number, title, case_type, from_agency, to_agency, reason, state,
                  decision_due_at, overdue_raised, created_at, updated_at, version)
                values (:id, 'R-1', 'paging', 'CIVIL', 'sc-chengdu-intermediate-court', 'cq-first-intermediate-court',
                  'r', 'SUBMITTED', :due, true, :created, :created, 0)""")
                .params(params)
                .update();
        return id;
    }

    private TestHttp.Response get(Caller caller, String path) {
        return Agencies.get(port, caller, path);
    }

    /** A 400 problem whose errors[] name exactly these fields; returns errors[]. */
    private static JsonNode assertProblem(TestHttp.Response response, String... fields) {
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        JsonNode errors = response.json().path("errors");
        assertThat(errors.findValuesAsString("field")).as(response.body()).containsExactlyInAnyOrder(fields);
        return errors;
    }

    private static Map<String, JsonNode> byField(JsonNode errors) {
        Map<String, JsonNode> map = new HashMap<>();
        errors.forEach(e -> map.put(e.path("field").asString(), e));
        return map;
    }
}
