package cn.chuanyu.system;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import cn.chuanyu.kit.test.TestHttp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Replays the hostile-request corpus ({@code bad-input-corpus.json}, written by {@code system-tests/corpus/
 * generate.py}) through the gateway: each request must get the expected 4xx as problem+json, promptly, naming
 * exactly the expected fields where the entry lists them ({@code fields}: one answer names every problem), and no
 * database may change because of any of them.
 */
class BadInputCorpusIT {

    static final String SC = "sc-chengdu-intermediate-court";
    static final String CQ_COURT = "cq-first-intermediate-court";
    static final String CQ_POLICE = "cq-yubei-public-security";
    static final Pattern BIG = Pattern.compile("\\{big:(\\d+)}");
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static Platform platform;
    static final Map<String, String> placeholders = new TreeMap<>();

    @BeforeAll
    static void prepareExchanges() {
        platform = Platform.shared();
        // The gateway announces agencies over the bus; the first submit may come before they arrive.
        String[] transfer = new String[1];
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            TestHttp.Response created = post(SC, "/api/v1/case-transfers", transferBody(CQ_COURT));
            transfer[0] = created.status() == 201 ? created.json().path("id").asString() : null;
            return transfer[0] != null;
        });
        placeholders.put("transfer", transfer[0]);
        String accepted = post(SC, "/api/v1/case-transfers", transferBody(CQ_COURT)).json().path("id").asString();
        assertThat(post(CQ_COURT, "/api/v1/case-transfers/" + accepted + "/accept", "{}").status()).isEqualTo(200);
        placeholders.put("accepted", accepted);
        placeholders.put("assistance", post(SC, "/api/v1/assistance-requests", """
                {"type": "PERSON_LOCATE", "toAgency": "cq-yubei-public-security", "subject": "协查下落",
                 "details": "被执行人张某"}""").json().path("id").asString());
        String usedKey = "corpus-" + UUID.randomUUID();
        assertThat(TestHttp.postJson(platform.url("gateway") + "/api/v1/case-transfers", transferBody(CQ_COURT),
                "Authorization", "Bearer " + platform.agencyKey(SC), "Idempotency-Key", usedKey).status())
                .isEqualTo(201);
        placeholders.put("usedKey", usedKey);
        placeholders.put("webhook", post(CQ_POLICE, "/api/v1/webhooks",
                "{\"url\": \"http://127.0.0.1:9/never-called\"}").json().path("id").asString());
    }

    @Test
    void everyHostileRequestIsRefusedWithAProblemAndChangesNothing() throws Exception {
        JsonNode corpus;
        try (InputStream in = getClass().getResourceAsStream("/bad-input-corpus.json")) {
            corpus = JsonMapper.builder().build().readTree(in);
        }
        assertThat(corpus.size()).isGreaterThanOrEqualTo(200);
        Map<String, Long> before = snapshot();

        List<String> failures = new ArrayList<>();
        long slowest = 0;
        for (JsonNode entry : corpus) {
            long started = System.nanoTime();
            HttpResponse<String> response;
            try {
                response = HTTP.send(request(entry), HttpResponse.BodyHandlers.ofString());
            }
            catch (IllegalArgumentException ex) {
                failures.add(entry.path("name").asString() + ": the corpus entry is not a valid request (" + ex + ")");
                continue;
            }
            catch (java.io.IOException ex) {
                failures.add(entry.path("name").asString() + ": no answer (" + ex + ")");
                continue;
            }
            slowest = Math.max(slowest, (System.nanoTime() - started) / 1_000_000);
            String problem = check(entry, response);
            if (problem != null) {
                failures.add(entry.path("name").asString() + ": " + problem);
            }
        }
        System.out.printf("bad-input corpus: %d requests, %d failures, slowest answer %d ms%n", corpus.size(),
                failures.size(), slowest);

        assertThat(failures).as("requests not refused as expected").isEmpty();
        Thread.sleep(1500); // let anything a request wrongly triggered reach the databases
        assertThat(snapshot()).as("rows per table before and after the corpus").isEqualTo(before);
    }

    private static String check(JsonNode entry, HttpResponse<String> response) {
        int status = response.statusCode();
        JsonNode expect = entry.path("expect");
        String body = response.body().length() > 300 ? response.body().substring(0, 300) : response.body();
        if (status < 400 || status > 499) {
            return "status " + status + " " + body;
        }
        if (expect.isInt() && expect.asInt() != status) {
            return "expected " + expect.asInt() + ", got " + status + " " + body;
        }
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (!type.startsWith("application/problem+json")) {
            return "status " + status + " with Content-Type '" + type + "' " + body;
        }
        if (entry.has("fields")) {
            // One answer names every problem: errors[] names exactly these fields.
            Set<String> expected = new TreeSet<>();
            entry.path("fields").forEach(field -> expected.add(field.asString()));
            Set<String> named = new TreeSet<>();
            try {
                JsonMapper.builder().build().readTree(response.body()).path("errors")
                        .forEach(error -> named.add(error.path("field").asString()));
            }
            catch (RuntimeException ex) {
                return "problem body is not JSON: " + body;
            }
            if (!named.equals(expected)) {
                return "errors[] name " + named + ", expected " + expected + " " + body;
            }
        }
        return null;
    }

    private static HttpRequest request(JsonNode entry) {
        String path = fill(entry.path("path").asString());
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(platform.url("gateway") + path))
                .timeout(Duration.ofSeconds(15));
        String body = entry.path("body").isNull() ? null : fill(entry.path("body").asString());
        // bodyBase64: bytes a string cannot carry, such as invalid UTF-8.
        byte[] raw = entry.hasNonNull("bodyBase64") ? Base64.getDecoder().decode(entry.path("bodyBase64").asString())
                : null;
        request.method(entry.path("method").asString(), raw != null ? HttpRequest.BodyPublishers.ofByteArray(raw)
                : body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (!entry.path("contentType").isNull() && (body != null || raw != null)) {
            request.header("Content-Type", entry.path("contentType").asString());
        }
        String key = switch (entry.path("caller").asString()) {
            case "sc-court" -> platform.agencyKey(SC);
            case "cq-court" -> platform.agencyKey(CQ_COURT);
            case "cq-police" -> platform.agencyKey(CQ_POLICE);
            case "operator" -> platform.credentials().path("operator").path("apiKey").asString();
            case "auditor" -> platform.credentials().path("auditor").path("apiKey").asString();
            default -> null;
        };
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        entry.path("headers").properties().forEach(h -> request.header(h.getKey(), fill(h.getValue().asString())));
        return request.build();
    }

    private static String fill(String template) {
        String filled = template;
        for (Map.Entry<String, String> p : placeholders.entrySet()) {
            filled = filled.replace("{" + p.getKey() + "}", p.getValue());
        }
        Matcher big = BIG.matcher(filled);
        return big.find() ? big.replaceAll("x".repeat(Integer.parseInt(big.group(1)))) : filled;
    }

    /**
     * Row counts of every table of every service database. What grows with every request by design is counted
     * without it: the gateway's access records (outbox rows routed {@code gateway.access}), its per-minute counts of
     * refused anonymous requests ({@code gateway.refused}: written when a minute closes, so a corpus run that spans a
     * minute's end adds one per reason) and the audit trail's copies of both (their entries, leaves and
     * processed-event marks). Left out: the Merkle tree's inner nodes
     * (their number follows the leaves, access entries included) and the tree heads (signed on a timer).
     */
    private static Map<String, Long> snapshot() throws SQLException {
        Map<String, String> counted = Map.of(
                "gateway.outbox_event", "select count(*) from outbox_event where routing_key not in "
                        + "('gateway.access', 'gateway.refused')",
                "audit.audit_entry", "select count(*) from audit_entry where type not like 'gateway.%'",
                "audit.audit_leaf", "select count(*) from audit_leaf l join audit_entry e using (seq) "
                        + "where e.type not like 'gateway.%'",
                "audit.processed_event", "select count(*) from processed_event p where not exists (select 1 from "
                        + "audit_entry e where e.event_id = p.event_id and e.type like 'gateway.%')");
        Set<String> uncounted = Set.of("audit.merkle_node", "audit.tree_head");
        Map<String, Long> counts = new TreeMap<>();
        for (String service : List.of("gateway", "case_transfer", "evidence", "audit")) {
            try (Connection db = platform.database(service)) {
                List<String> tables = new ArrayList<>();
                try (ResultSet rs = db.createStatement().executeQuery(
                        "select table_name from information_schema.tables where table_schema = 'public' "
                                + "and table_type = 'BASE TABLE'")) {
                    while (rs.next()) {
                        tables.add(rs.getString(1));
                    }
                }
                for (String table : tables) {
                    String name = service + "." + table;
                    if (table.endsWith("schema_history") || uncounted.contains(name)) {
                        continue;
                    }
                    String sql = counted.getOrDefault(name, "select count(*) from \"" + table + "\"");
                    counts.put(name, count(db, sql));
                }
            }
        }
        assertThat(counts).as("the tables the snapshot must cover").containsKeys("gateway.outbox_event",
                "audit.audit_entry", "audit.dead_letter", "audit.outbox_event", "evidence.evidence_package");
        return counts;
    }

    private static long count(Connection db, String sql) throws SQLException {
        try (ResultSet rs = db.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String transferBody(String to) {
        return """
                {"caseNumber": "(2026)川01刑初%s号", "title": "语料准备", "caseType": "CRIMINAL", "toAgency": "%s",
                 "reason": "准备数据"}""".formatted(UUID.randomUUID().toString().substring(0, 6), to);
    }

    private static TestHttp.Response post(String agency, String path, String json) {
        return TestHttp.postJson(platform.url("gateway") + path, json, "Authorization",
                "Bearer " + platform.agencyKey(agency));
    }
}
