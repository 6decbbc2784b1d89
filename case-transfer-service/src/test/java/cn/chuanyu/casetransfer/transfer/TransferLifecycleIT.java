package cn.chuanyu.casetransfer.transfer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import cn.chuanyu.casetransfer.exchange.OverdueSource;
import cn.chuanyu.kit.agency.AgencyDirectory;
import cn.chuanyu.kit.identity.Caller;
import cn.chuanyu.kit.test.StartTogether;
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

/** Every transition and every refusal of a transfer, over HTTP, with what the outbox and the parties see. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "chuanyu.deadlines.scan-interval=1h")
class TransferLifecycleIT {

    static final String BODY = """
            {"caseNumber": "(2026)川01民初%s号", "title": "合同纠纷", "caseType": "CIVIL",
             "toAgency": "cq-first-intermediate-court", "reason": "管辖权异议成立"%s}""";

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
    List<OverdueSource> overdueSources;

    @BeforeEach
    void registerAgencies() {
        cn.chuanyu.casetransfer.support.Agencies.registerIn(agencies);
    }

    @Test
    void theRecipientAcceptsOnceAndEveryStepIsPublished() {
        String id = submit("");
        TestHttp.Response accepted = post(CQ_COURT, id, "accept", "{\"note\": \"同意\"}");

        assertThat(accepted.status()).isEqualTo(200);
        assertThat(accepted.json().path("state").asString()).isEqualTo("ACCEPTED");
        assertThat(accepted.json().path("decisionNote").asString()).isEqualTo("同意");
        assertThat(accepted.header("ETag")).isEqualTo("\"1\"");
        assertThat(eventTypes(id)).containsExactly("case-transfer.submitted", "case-transfer.accepted");

        TestHttp.Response again = post(CQ_COURT, id, "reject", "{\"reason\": \"改主意\"}");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().path("currentState").asString()).isEqualTo("ACCEPTED");
        assertThat(post(SC_COURT, id, "withdraw", "{\"reason\": \"x\"}").status()).isEqualTo(409);
        assertThat(eventTypes(id)).hasSize(2);
    }

    @Test
    void theRecipientRejectsWithAReason() {
        String id = submit("");
        assertThat(post(CQ_COURT, id, "reject", "{}").status()).isEqualTo(400);

        TestHttp.Response rejected = post(CQ_COURT, id, "reject", "{\"reason\": \"不属于本院管辖\"}");
        assertThat(rejected.status()).isEqualTo(200);
        assertThat(rejected.json().path("state").asString()).isEqualTo("REJECTED");
        assertThat(eventTypes(id)).containsExactly("case-transfer.submitted", "case-transfer.rejected");
    }

    @Test
    void onlyTheSenderWithdrawsAndOnlyTheRecipientDecides() {
        String id = submit("");

        TestHttp.Response senderAccepts = post(SC_COURT, id, "accept", "{}");
        assertThat(senderAccepts.status()).isEqualTo(403);
        assertThat(senderAccepts.contentType()).startsWith("application/problem+json");
        assertThat(post(CQ_COURT, id, "withdraw", "{\"reason\": \"x\"}").status()).isEqualTo(403);
        assertThat(post(CQ_POLICE, id, "accept", "{}").status()).isEqualTo(404);
        assertThat(post(CQ_POLICE, id, "withdraw", "{\"reason\": \"x\"}").status()).isEqualTo(404);

        TestHttp.Response withdrawn = post(SC_COURT, id, "withdraw", "{\"reason\": \"当事人和解\"}");
        assertThat(withdrawn.status()).isEqualTo(200);
        assertThat(withdrawn.json().path("state").asString()).isEqualTo("WITHDRAWN");
        assertThat(post(CQ_COURT, id, "accept", "{}").json().path("currentState").asString())
                .isEqualTo("WITHDRAWN");
    }

    @Test
    void aStaleIfMatchIsRefusedWith412() {
        String id = submit("");
        TestHttp.Response read = cn.chuanyu.casetransfer.support.Agencies.get(port, CQ_COURT,
                "/api/v1/case-transfers/" + id);
        assertThat(read.header("ETag")).isEqualTo("\"0\"");

        TestHttp.Response stale = post(CQ_COURT, id, "accept", "{}", "If-Match", "\"7\"");
        assertThat(stale.status()).isEqualTo(412);
        assertThat(stale.json().path("currentVersion").asInt()).isEqualTo(0);
        assertThat(post(CQ_COURT, id, "accept", "{}", "If-Match", read.header("ETag")).status()).isEqualTo(200);
    }

    @Test
    void ofConcurrentAcceptsExactlyOneWins() throws Exception {
        String id = submit("");
        StartTogether.Runs<Integer> accepts = StartTogether.run(8, Duration.ofSeconds(60),
                i -> () -> post(CQ_COURT, id, "accept", "{}").status());

        // Released from one barrier, the eight are in flight at once: the test really races them.
        assertThat(accepts.allOverlapped()).as("all accepts in flight at once").isTrue();
        List<Integer> statuses = accepts.results();
        assertThat(statuses).filteredOn(s -> s == 200).hasSize(1);
        assertThat(statuses).filteredOn(s -> s == 409).hasSize(7);
        assertThat(eventTypes(id)).containsExactly("case-transfer.submitted", "case-transfer.accepted");
    }

    /**
     * Two requests with one key at the same moment (a client retrying before its first answer came): one transfer,
     * one event, and both answered with it, as {@code IdempotencyFilter} defines. Rounds repeat until, at least
     * once, both requests ran the submit and one was rolled back (two outbox sequence values taken for one event
     * row), so the test cannot pass by the second request merely finding the first one's stored answer.
     */
    @Test
    void concurrentRequestsWithOneIdempotencyKeyHaveOneEffect() throws Exception {
        int raced = 0;
        for (int round = 0; round < 10 && raced == 0; round++) {
            String key = "concurrent-" + UUID.randomUUID();
            String caseNumber = UUID.randomUUID().toString().substring(0, 6);
            String body = BODY.formatted(caseNumber, "");
            long sequenceBefore = nextOutboxSeq();
            StartTogether.Runs<TestHttp.Response> both = StartTogether.run(2, Duration.ofSeconds(60),
                    i -> () -> cn.chuanyu.casetransfer.support.Agencies.post(port, SC_COURT,
                            "/api/v1/case-transfers", body, "Idempotency-Key", key));
            long sequenceTaken = nextOutboxSeq() - sequenceBefore - 1;

            List<TestHttp.Response> answers = both.results();
            for (TestHttp.Response answer : answers) {
                assertThat(answer.status()).as(answer.body()).isEqualTo(201);
            }
            String id = answers.get(0).json().path("id").asString();
            assertThat(answers.get(1).json().path("id").asString()).isEqualTo(id);
            assertThat(answers.get(1).header("Location")).isEqualTo(answers.get(0).header("Location"));
            assertThat(answers).filteredOn(a -> "true".equals(a.header("Idempotent-Replayed"))).hasSize(1);
            assertThat(jdbc.sql("select count(*) from case_transfer where case_number = :number")
                    .param("number", "(2026)川01民初" + caseNumber + "号").query(Integer.class).single())
                    .isEqualTo(1);
            assertThat(eventTypes(id)).containsExactly("case-transfer.submitted");
            if (sequenceTaken > 1 && both.allOverlapped()) {
                raced++;
            }
            System.out.println("one Idempotency-Key, round " + round + ": outbox sequence values taken "
                    + sequenceTaken + ", in flight at once " + both.allOverlapped());
        }
        assertThat(raced).as("rounds in which both requests ran the submit and one was rolled back").isPositive();
    }

    @Test
    void aRetriedSubmitWithTheSameIdempotencyKeyCreatesOneTransfer() {
        String key = "submit-" + UUID.randomUUID();
        String body = BODY.formatted("88", "");
        TestHttp.Response first = cn.chuanyu.casetransfer.support.Agencies.post(port, SC_COURT,
                "/api/v1/case-transfers", body, "Idempotency-Key", key);
        TestHttp.Response retry = cn.chuanyu.casetransfer.support.Agencies.post(port, SC_COURT,
                "/api/v1/case-transfers", body, "Idempotency-Key", key);

        assertThat(first.status()).isEqualTo(201);
        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(retry.header("Location")).isEqualTo(first.header("Location"));
        assertThat(retry.json().path("id").asString()).isEqualTo(first.json().path("id").asString());
        assertThat(jdbc.sql("select count(*) from case_transfer where case_number = '(2026)川01民初88号'")
                .query(Integer.class).single()).isEqualTo(1);

        TestHttp.Response other = cn.chuanyu.casetransfer.support.Agencies.post(port, SC_COURT,
                "/api/v1/case-transfers", BODY.formatted("89", ""), "Idempotency-Key", key);
        assertThat(other.status()).isEqualTo(422);
        assertThat(other.contentType()).startsWith("application/problem+json");
        // Keys belong to the caller: another agency may use the same key for its own request.
        TestHttp.Response otherCaller = cn.chuanyu.casetransfer.support.Agencies.post(port, CQ_POLICE,
                "/api/v1/case-transfers", BODY.formatted("90", ""), "Idempotency-Key", key);
        assertThat(otherCaller.status()).isEqualTo(201);
    }

    @Test
    void anActionReplayedWithItsKeyDoesNotRunTwice() {
        String id = submit("");
        String key = "accept-" + UUID.randomUUID();
        assertThat(post(CQ_COURT, id, "accept", "{}", "Idempotency-Key", key).status()).isEqualTo(200);
        TestHttp.Response replay = post(CQ_COURT, id, "accept", "{}", "Idempotency-Key", key);
        assertThat(replay.status()).isEqualTo(200);
        assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(eventTypes(id)).hasSize(2);
    }

    @Test
    void listsPageNewestFirstAndFilter() {
        String caseTag = UUID.randomUUID().toString().substring(0, 8);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(submit(""));
        }
        post(CQ_COURT, ids.get(0), "accept", "{}");

        JsonNode first = list(CQ_COURT, "?direction=incoming&limit=2");
        assertThat(first.path("items").size()).isEqualTo(2);
        assertThat(first.path("items").get(0).path("id").asString()).isEqualTo(ids.get(2));
        assertThat(first.path("items").get(1).path("id").asString()).isEqualTo(ids.get(1));
        JsonNode second = list(CQ_COURT, "?direction=incoming&limit=2&cursor=" + first.path("nextCursor").asString());
        assertThat(second.path("items").get(0).path("id").asString()).isEqualTo(ids.get(0));

        assertThat(list(CQ_COURT, "?state=ACCEPTED&limit=200").path("items").findValuesAsString("id"))
                .contains(ids.get(0)).doesNotContain(ids.get(1));
        assertThat(list(SC_COURT, "?direction=incoming&limit=200").path("items").findValuesAsString("id"))
                .doesNotContainAnyElementsOf(ids);
        assertThat(list(CQ_POLICE, "?limit=200").path("items").findValuesAsString("id"))
                .doesNotContainAnyElementsOf(ids);
        assertThat(cn.chuanyu.casetransfer.support.Agencies.get(port, CQ_COURT,
                "/api/v1/case-transfers?direction=sideways").status()).isEqualTo(400);
        assertThat(cn.chuanyu.casetransfer.support.Agencies.get(port, CQ_COURT,
                "/api/v1/case-transfers?cursor=garbage" + caseTag).status()).isEqualTo(400);
    }

    @Test
    void aTransferPastItsDeadlineIsFlaggedAndRaisesOneOverdueEvent() throws Exception {
        String due = Instant.now().plusMillis(1500).toString();
        String id = submit(", \"decisionDueAt\": \"" + due + "\"");
        assertThat(get(CQ_COURT, id).path("overdue").asBoolean()).isFalse();

        Thread.sleep(2000);
        overdueSources.forEach(source -> source.raiseOverdue(100));
        overdueSources.forEach(source -> source.raiseOverdue(100));

        assertThat(get(SC_COURT, id).path("overdue").asBoolean()).isTrue();
        assertThat(eventTypes(id)).containsExactly("case-transfer.submitted", "case-transfer.overdue");
        TestHttp.Response ops = TestHttp.get("http://localhost:" + port + "/api/v1/ops/exchanges?overdue=true",
                "X-Chuanyu-Principal", TestInfrastructure.token(new Caller("ops-operator",
                        cn.chuanyu.contracts.Role.OPERATOR, null, null)));
        assertThat(ops.status()).isEqualTo(200);
        assertThat(ops.json().path("items").valueStream().filter(i -> i.path("id").asString().equals(id))
                .map(i -> i.path("kind").asString() + "/" + i.path("overdue").asBoolean()))
                .containsExactly("CASE_TRANSFER/true");
        assertThat(cn.chuanyu.casetransfer.support.Agencies.get(port, SC_COURT, "/api/v1/ops/exchanges").status())
                .isEqualTo(403);
        assertThat(post(CQ_COURT, id, "accept", "{}").json().path("overdue").asBoolean()).isFalse();
    }

    @Test
    void aDeadlineInThePastOrMalformedIsRefused() {
        TestHttp.Response past = cn.chuanyu.casetransfer.support.Agencies.post(port, SC_COURT,
                "/api/v1/case-transfers", BODY.formatted("1", ", \"decisionDueAt\": \"2020-01-01T00:00:00Z\""));
        assertThat(past.status()).isEqualTo(422);
        assertThat(past.json().path("errors").get(0).path("field").asString()).isEqualTo("decisionDueAt");

        TestHttp.Response malformed = cn.chuanyu.casetransfer.support.Agencies.post(port, SC_COURT,
                "/api/v1/case-transfers", BODY.formatted("1", ", \"decisionDueAt\": \"next tuesday\""));
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().path("errors").findValuesAsString("field")).as(malformed.body())
                .contains("decisionDueAt");
    }

    @Test
    void anOversizedBodyIsRefusedWith413() {
        String huge = BODY.formatted("1", ", \"summary\": \"" + "x".repeat(300_000) + "\"");
        TestHttp.Response response = cn.chuanyu.casetransfer.support.Agencies.post(port, SC_COURT,
                "/api/v1/case-transfers", huge);
        assertThat(response.status()).isEqualTo(413);
        assertThat(response.contentType()).startsWith("application/problem+json");
    }

    private String submit(String extra) {
        TestHttp.Response created = cn.chuanyu.casetransfer.support.Agencies.post(port, SC_COURT,
                "/api/v1/case-transfers", BODY.formatted(UUID.randomUUID().toString().substring(0, 6), extra));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().path("id").asString();
    }

    private TestHttp.Response post(Caller caller, String id, String action, String json, String... headers) {
        return cn.chuanyu.casetransfer.support.Agencies.post(port, caller,
                "/api/v1/case-transfers/" + id + "/" + action, json, headers);
    }

    private JsonNode get(Caller caller, String id) {
        return cn.chuanyu.casetransfer.support.Agencies.get(port, caller, "/api/v1/case-transfers/" + id).json();
    }

    private JsonNode list(Caller caller, String query) {
        TestHttp.Response response = cn.chuanyu.casetransfer.support.Agencies.get(port, caller,
                "/api/v1/case-transfers" + query);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    /** Takes (and so uses up) the next value of the outbox's sequence. */
    private long nextOutboxSeq() {
        return jdbc.sql("select nextval(pg_get_serial_sequence('outbox_event', 'seq'))").query(Long.class).single();
    }

    private List<String> eventTypes(String exchangeId) {
        return jdbc.sql("""
                select routing_key from outbox_event where payload like :subject order by seq""")
                .param("subject", "%\"subject\":\"" + exchangeId + "\"%")
                .query(String.class)
                .list();
    }
}
