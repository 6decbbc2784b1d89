package cn.chuanyu.audit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import cn.chuanyu.audit.log.AuditLog;
import cn.chuanyu.audit.log.IncomingEvent;
import cn.chuanyu.audit.log.LogStore;
import cn.chuanyu.audit.log.MerkleTree;
import cn.chuanyu.contracts.EventEnvelope;
import cn.chuanyu.contracts.Role;
import cn.chuanyu.kit.identity.Caller;
import cn.chuanyu.kit.test.TestHttp;
import cn.chuanyu.kit.test.TestInfrastructure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A log of 100,000 entries, appended in batches through the production writer, checked with the test's own
 * RFC 9162 code: every 997th inclusion proof (from the entry's canonical bytes up to the signed root) and a set of
 * consistency proofs, with the time each proof takes to serve printed to the test output.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.rabbitmq.listener.simple.auto-startup=false", "chuanyu.audit.sign-interval=1h"})
@DirtiesContext
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LargeLogIT {

    static final int SIZE = 100_000;
    static final int BATCH = 10_000;
    static final int EVERY = 997;
    static final String DATABASE = "audit_large";

    private static final Caller AUDITOR = new Caller("supervisor-auditor", Role.AUDITOR, null, null);

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        AuditTestSupport.register(registry, DATABASE);
    }

    @LocalServerPort
    int port;

    @Autowired
    AuditLog log;

    @Autowired
    LogStore store;

    @Autowired
    JdbcClient jdbc;

    @Test
    @Order(1)
    void proofsOnAHundredThousandEntriesCheckOutAndAreServedInMilliseconds() {
        long started = System.nanoTime();
        List<Double> batchSeconds = new ArrayList<>();
        Instant time = Instant.now().truncatedTo(ChronoUnit.MICROS);
        for (int batch = 0; batch < SIZE / BATCH; batch++) {
            List<IncomingEvent> events = new ArrayList<>(BATCH);
            for (int i = 0; i < BATCH; i++) {
                int n = batch * BATCH + i;
                events.add(new IncomingEvent(new EventEnvelope(UUID.randomUUID().toString(), "case-transfer-service",
                        "case-transfer.submitted", "exchange-" + (n / 4), time.plusMillis(n), "corr-bulk-" + n,
                        "sc-chengdu-intermediate-court", "cq-first-intermediate-court",
                        Map.of("caseNumber", "(2026)川01刑初" + n + "号", "n", n)), "bulk-producer", (long) n + 1));
            }
            long t0 = System.nanoTime();
            assertThat(log.append(events)).hasSize(BATCH);
            batchSeconds.add((System.nanoTime() - t0) / 1e9);
        }
        double buildSeconds = (System.nanoTime() - started) / 1e9;
        assertThat(store.treeSize()).isEqualTo(SIZE);

        JsonNode head = get("/api/v1/audit/tree-head?fresh=true").json();
        assertThat(head.path("treeSize").asLong()).isEqualTo(SIZE);
        byte[] signedRoot = HexFormat.of().parseHex(head.path("rootHash").asString());

        // The test's own root over the stored leaf hashes must be the signed one.
        List<byte[]> leaves = jdbc.sql("select hash from merkle_node where level = 0 order by idx")
                .query((rs, i) -> rs.getBytes(1)).list();
        assertThat(leaves).hasSize(SIZE);
        assertThat(Rfc9162.mth(leaves, 0, SIZE)).isEqualTo(signedRoot);

        List<Long> httpMicros = new ArrayList<>();
        List<Long> serveMicros = new ArrayList<>();
        MerkleTree tree = new MerkleTree(store);
        for (long leafIndex = 0; leafIndex < SIZE; leafIndex += EVERY) {
            long seq = leafIndex + 1;
            JsonNode entry = get("/api/v1/audit/entries/" + seq).json();
            byte[] leaf = Rfc9162.leaf(Base64.getDecoder().decode(entry.path("canonical").asString()));

            String token = TestInfrastructure.token(AUDITOR);
            long t0 = System.nanoTime();
            TestHttp.Response response = TestHttp.get("http://localhost:" + port + "/api/v1/audit/proofs/inclusion?seq="
                    + seq + "&treeSize=" + SIZE, "X-Chuanyu-Principal", token);
            httpMicros.add((System.nanoTime() - t0) / 1000);
            t0 = System.nanoTime();
            tree.inclusionPath(leafIndex, SIZE);
            serveMicros.add((System.nanoTime() - t0) / 1000);

            assertThat(response.status()).isEqualTo(200);
            JsonNode proof = response.json();
            assertThat(proof.path("leafIndex").asLong()).isEqualTo(leafIndex);
            assertThat(proof.path("leafHash").asString()).isEqualTo(HexFormat.of().formatHex(leaf));
            List<byte[]> path = AuditTestSupport.hashes(proof.path("auditPath"));
            assertThat(Rfc9162.rootFromInclusion(leafIndex, SIZE, leaf, path)).as("inclusion of leaf %d", leafIndex)
                    .isEqualTo(signedRoot);
            byte[] tampered = leaf.clone();
            tampered[31] ^= 1;
            assertThat(Rfc9162.rootFromInclusion(leafIndex, SIZE, tampered, path)).isNotEqualTo(signedRoot);
        }

        long[][] pairs = {{1, SIZE}, {7, SIZE}, {1024, SIZE}, {65_536, SIZE}, {99_999, SIZE}, {50_000, 99_999},
            {12_345, 67_890}, {3, 5}, {SIZE, SIZE}};
        List<Long> consistencyMicros = new ArrayList<>();
        for (long[] pair : pairs) {
            long t0 = System.nanoTime();
            JsonNode proof = get("/api/v1/audit/proofs/consistency?from=" + pair[0] + "&to=" + pair[1]).json();
            consistencyMicros.add((System.nanoTime() - t0) / 1000);
            byte[] oldRoot = Rfc9162.mth(leaves, 0, (int) pair[0]);
            byte[] newRoot = Rfc9162.mth(leaves, 0, (int) pair[1]);
            assertThat(Rfc9162.consistent(pair[0], pair[1], oldRoot, newRoot,
                    AuditTestSupport.hashes(proof.path("path")))).as("consistency %s", Arrays.toString(pair)).isTrue();
        }

        String report = String.format("""
                === audit log of %,d entries: built in %.1f s (batches of %,d through AuditLog.append: %s s)
                === inclusion proofs checked: %d (every %dth leaf); served in-process (MerkleTree over PostgreSQL): \
                median %.2f ms, max %.2f ms; over HTTP incl. principal check and JSON: median %.2f ms, max %.2f ms
                === consistency proofs checked: %d; over HTTP: median %.2f ms, max %.2f ms""",
                SIZE, buildSeconds, BATCH,
                batchSeconds.stream().map(b -> String.format("%.1f", b)).toList(), serveMicros.size(), EVERY, median(serveMicros), max(serveMicros),
                median(httpMicros), max(httpMicros), pairs.length, median(consistencyMicros),
                max(consistencyMicros));
        System.out.println(report);
        assertThat(median(serveMicros)).as("median in-process proof time (ms)").isLessThan(10.0);
    }

    /** Several writers at once (threads here, instances in production): the advisory lock serializes them. */
    @Test
    @Order(2)
    void concurrentWritersNeverInterleaveOrSkipALeaf() throws Exception {
        long before = store.treeSize();
        int writers = 4;
        int each = 40;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(writers);
        try {
            List<java.util.concurrent.Future<?>> running = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                running.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        EventEnvelope event = new EventEnvelope(UUID.randomUUID().toString(), "case-transfer-service",
                                "case-transfer.submitted", "concurrent-" + writer, Instant.now(), null,
                                "sc-chengdu-intermediate-court", "cq-first-intermediate-court", Map.of("i", i));
                        // The same event twice, as a redelivery racing the first copy would: stored once.
                        log.append(List.of(new IncomingEvent(event, "writer-" + writer, (long) i + 1)));
                        log.append(List.of(new IncomingEvent(event, "writer-" + writer, (long) i + 1)));
                    }
                }));
            }
            for (java.util.concurrent.Future<?> f : running) {
                f.get(120, java.util.concurrent.TimeUnit.SECONDS);
            }
        }
        finally {
            pool.shutdownNow();
        }

        long after = store.treeSize();
        assertThat(after).isEqualTo(before + writers * each);
        assertThat(jdbc.sql("select count(*) from audit_leaf").query(Long.class).single()).isEqualTo(after);
        assertThat(jdbc.sql("select count(*) from audit_leaf where seq <> leaf_index + 1").query(Long.class).single())
                .isZero();
        assertThat(jdbc.sql("select count(*) from merkle_node where level = 0").query(Long.class).single())
                .isEqualTo(after);
        // The tree over the new leaves is still the one the test computes itself.
        List<byte[]> leaves = jdbc.sql("select hash from merkle_node where level = 0 order by idx")
                .query((rs, i) -> rs.getBytes(1)).list();
        JsonNode head = get("/api/v1/audit/tree-head?fresh=true").json();
        assertThat(HexFormat.of().formatHex(Rfc9162.mth(leaves, 0, leaves.size())))
                .isEqualTo(head.path("rootHash").asString());
        JsonNode proof = get("/api/v1/audit/proofs/consistency?from=" + before + "&to=" + after).json();
        assertThat(Rfc9162.consistent(before, after, Rfc9162.mth(leaves, 0, (int) before),
                Rfc9162.mth(leaves, 0, (int) after), AuditTestSupport.hashes(proof.path("path")))).isTrue();
    }

    @AfterAll
    static void dropTheBigDatabase() throws Exception {
        // 100,000 entries are worth keeping only for the run; other test databases are small.
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://localhost:5432/postgres", "postgres", "");
                Statement s = c.createStatement()) {
            s.execute("drop database if exists " + TestInfrastructure.database(DATABASE) + " with (force)");
        }
        catch (Exception ex) {
            System.out.println("could not drop " + TestInfrastructure.database(DATABASE) + ": " + ex.getMessage());
        }
    }

    private static double median(List<Long> micros) {
        List<Long> sorted = micros.stream().sorted().toList();
        return sorted.get(sorted.size() / 2) / 1000.0;
    }

    private static double max(List<Long> micros) {
        return micros.stream().mapToLong(Long::longValue).max().orElse(0) / 1000.0;
    }

    private TestHttp.Response get(String path) {
        TestHttp.Response response = TestHttp.get("http://localhost:" + port + path, "X-Chuanyu-Principal",
                TestInfrastructure.token(AUDITOR));
        assertThat(response.status()).as(path + " " + response.body()).isEqualTo(200);
        return response;
    }
}
