import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import cn.chuanyu.audit.AuditServiceApplication;
import cn.chuanyu.audit.log.AuditLog;
import cn.chuanyu.audit.log.IncomingEvent;
import cn.chuanyu.audit.log.LogStore;
import cn.chuanyu.audit.log.MerkleHashes;
import cn.chuanyu.audit.log.MerkleTree;
import cn.chuanyu.audit.log.NodeKey;
import cn.chuanyu.contracts.EventEnvelope;
import cn.chuanyu.contracts.Role;
import cn.chuanyu.kit.identity.Caller;
import cn.chuanyu.kit.identity.PrincipalTokens;
import cn.chuanyu.kit.tlog.MerkleProofs;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The audit log's curve: proof latency by log size, bulk append rate and bytes on disk per million entries, measured
 * inside a real audit-service (its own database, listener off) started from the exploded jar by
 * bench/audit-proofs.sh. Args: {@code real|synthetic sizes port gateway-private.pem results.tsv}
 * <ul>
 * <li>{@code real 10000,1000000}: appends entries through the production writer ({@link AuditLog#append}, batches
 * of AUDIT_BATCH, default 10,000) and measures at each size once the log reaches it.
 * <li>{@code synthetic 100000000}: a log that is never appended: only the rows the measured proofs read are
 * stored (see {@link #synthetic}).
 * </ul>
 * At each size: 1,100 inclusion and 1,100 consistency proofs over HTTP (the first 100 of each are warm-up), one
 * client, each request with its own principal token signed before the clock starts (the gateway's cost, not the
 * proof's); then the same proofs in the JVM (the entry's leaf and the proof's node reads and hashing, without
 * HTTP, principal check, the tree-size check and JSON). The first 50 HTTP proofs of each kind are checked against the root with the kit's RFC 9162 verifier (MerkleProofs).
 */
public class BuildLog {

    static final int WARMUP = 100;
    static final int MEASURED = 1000;
    static final HexFormat HEX = HexFormat.of();

    public static void main(String[] args) throws Exception {
        boolean synthetic = args[0].equals("synthetic");
        long[] sizes = Arrays.stream(args[1].split(",")).mapToLong(Long::parseLong).toArray();
        int port = Integer.parseInt(args[2]);
        Path tsv = Path.of(args[4]);
        ConfigurableApplicationContext ctx = SpringApplication.run(AuditServiceApplication.class,
                "--server.port=" + port, "--spring.rabbitmq.listener.simple.auto-startup=false",
                "--chuanyu.audit.sign-interval=1h", "--logging.level.root=WARN");
        LogStore store = ctx.getBean(LogStore.class);
        DataSource ds = ctx.getBean(DataSource.class);
        Bench bench = new Bench(port, key(Path.of(args[3])), store, ds);
        if (synthetic) {
            for (long size : sizes) {
                long t0 = System.nanoTime();
                long rows = synthetic(ds, size);
                System.out.printf("- synthetic log of %,d entries: %,d stored rows (the nodes, leaves and entries the "
                        + "sampled proofs read, nothing else), made in %.1f s%n", size, rows, (System.nanoTime() - t0) / 1e9);
                bench.measure(size, true, tsv);
            }
        }
        else {
            AuditLog log = ctx.getBean(AuditLog.class);
            int batch = Integer.parseInt(System.getenv().getOrDefault("AUDIT_BATCH", "10000"));
            boolean sql = "sql".equals(System.getenv("AUDIT_LOAD"));
            double appendSeconds = 0;
            long appended = 0;
            double jvmCpu = 0;
            double pgCpu = 0;
            long have = store.treeSize();
            for (long size : sizes) {
                long from = have;
                if (sql && size > have) {
                    long t0 = System.nanoTime();
                    load(ds, have, size);
                    have = store.treeSize();
                    System.out.printf("- loaded %,d → %,d entries in PostgreSQL (rows as the writer stores them) in "
                            + "%.0f s%n", from, have, (System.nanoTime() - t0) / 1e9);
                    bench.checkLeaves(have);
                }
                else if (size > have) {
                    double[] c0 = cpu(ds);
                    long t0 = System.nanoTime();
                    for (long n = have; n < size; n += batch) {
                        log.append(events(n, Math.min(size, n + batch)));
                        if ((n / batch) % 20 == 0) {
                            System.err.printf("  %,d entries, %.0f s%n", n, (System.nanoTime() - t0) / 1e9);
                        }
                    }
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    double[] c1 = cpu(ds);
                    jvmCpu += c1[0] - c0[0];
                    pgCpu += c1[1] - c0[1];
                    have = store.treeSize();
                    appendSeconds += seconds;
                    appended += have - from;
                    System.out.printf("- appended %,d → %,d entries through AuditLog.append (batches of %,d) in %.1f s: "
                            + "%,.0f entries/s%n", from, have, batch, seconds, (have - from) / seconds);
                }
                long[] bytes = relationSizes(ds);
                long total = bytes[0] + bytes[1] + bytes[2] + bytes[3];
                System.out.printf("- on disk at %,d entries (pg_total_relation_size, tables + indexes + TOAST): "
                        + "audit_entry %.1f MiB, audit_leaf %.1f MiB, merkle_node %.1f MiB, tree_head %.2f MiB: "
                        + "**%.0f MiB per million entries** (entries %.0f, leaves %.0f, nodes %.0f)%n", have,
                        mib(bytes[0]), mib(bytes[1]), mib(bytes[2]), mib(bytes[3]), mib(total) * 1e6 / have,
                        mib(bytes[0]) * 1e6 / have, mib(bytes[1]) * 1e6 / have, mib(bytes[2]) * 1e6 / have);
                append(tsv, String.format("%d\tdisk\t%d\t%d\t%d\t%d%n", have, bytes[0], bytes[1], bytes[2], bytes[3]));
                bench.measure(have, false, tsv);
            }
            if (sql) {
                // The bulk rate is still the writer's: this many entries appended onto the loaded log.
                long more = Long.parseLong(System.getenv().getOrDefault("AUDIT_APPEND", "100000"));
                double[] c0 = cpu(ds);
                long t0 = System.nanoTime();
                for (long n = have; n < have + more; n += batch) {
                    log.append(events(n, Math.min(have + more, n + batch)));
                }
                appendSeconds = (System.nanoTime() - t0) / 1e9;
                double[] c1 = cpu(ds);
                jvmCpu = c1[0] - c0[0];
                pgCpu = c1[1] - c0[1];
                appended = store.treeSize() - have;
                have += appended;
            }
            System.out.printf("- **bulk append: %,.0f entries/s** (%,d entries in %.1f s of appending, batches of %,d, "
                    + "one transaction each; proof measurements excluded); CPU per entry: writer JVM %.1f µs, "
                    + "PostgreSQL backends %.1f µs: **%,.0f entries/s on uncontended cores** (1 / their sum)%n",
                    appended / appendSeconds, appended, appendSeconds, batch, jvmCpu * 1e6 / appended,
                    pgCpu * 1e6 / appended, appended / (jvmCpu + pgCpu));
            append(tsv, String.format("%d\tappend\t%d\t%.0f\t%.1f\t%.1f%n", have, batch, appended / appendSeconds,
                    jvmCpu * 1e6 / appended, pgCpu * 1e6 / appended));
            // The live consumer's batches are at most 500 events: the same writer at that size.
            int live = 500;
            long liveCount = Long.parseLong(System.getenv().getOrDefault("AUDIT_LIVE_ENTRIES", "20000"));
            if (liveCount > 0) {
                double[] c0 = cpu(ds);
                long t0 = System.nanoTime();
                for (long n = have; n < have + liveCount; n += live) {
                    log.append(events(n, n + live));
                }
                double s = (System.nanoTime() - t0) / 1e9;
                double[] c1 = cpu(ds);
                double jvm = (c1[0] - c0[0]) * 1e6 / liveCount;
                double pg = (c1[1] - c0[1]) * 1e6 / liveCount;
                System.out.printf("- append in the live consumer's batch size (500 per transaction), %,d more "
                        + "entries: %,.0f entries/s; CPU per entry: writer JVM %.1f µs, PostgreSQL %.1f µs: "
                        + "%,.0f entries/s on uncontended cores%n", liveCount, liveCount / s, jvm, pg, 1e6 / (jvm + pg));
                append(tsv, String.format("%d\tappend\t%d\t%.0f\t%.1f\t%.1f%n", have + liveCount, live,
                        liveCount / s, jvm, pg));
            }
        }
        ctx.close();
        System.exit(0);
    }

    /**
     * CPU seconds used so far by this thread (the writer, and the bench's own event making) and by the database's
     * backends serving it: on a machine shared with other work, CPU per entry says what the rate would be with the
     * two cores to itself (the writer and its backend take turns, so the rate is at most 1 / their CPU per entry).
     */
    static double[] cpu(DataSource ds) throws Exception {
        // The calling thread only: the writer's (and the bench's event making), without JIT compiler threads.
        double jvm = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() / 1e9;
        double pg = 0;
        try (Connection c = ds.getConnection(); var st = c.createStatement();
                var rs = st.executeQuery("select pid from pg_stat_activity where datname = current_database()")) {
            while (rs.next()) {
                try {
                    String stat = Files.readString(Path.of("/proc/" + rs.getInt(1) + "/stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    pg += (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;   // utime + stime, 100 Hz
                }
                catch (java.io.IOException ex) {
                    // a backend that ended meanwhile
                }
            }
        }
        return new double[] {jvm, pg};
    }

    static double mib(long bytes) {
        return bytes / 1048576.0;
    }

    /**
     * Adds entries [from, to) as the writer would have stored them, but computed by PostgreSQL in a few statements
     * (for a machine too busy to append a million entries through the writer within a run): the same events as
     * {@link #events} (random event ids, the envelope as Jackson writes it), leaf index = seq - 1, level-0 hash =
     * SHA-256(0x00 || CanonicalEntry bytes) and every interior node that completes. The bench checks a sample of
     * these leaf hashes against the service's own canonical bytes before it measures.
     */
    static void load(DataSource ds, long from, long to) throws Exception {
        try (Connection c = ds.getConnection(); var st = c.createStatement()) {
            c.setAutoCommit(false);
            st.execute("select pg_advisory_xact_lock(" + 0x6175_6469_745F_6C6FL + ")");
            st.execute("""
                    create temporary table bulk on commit drop as
                    select i, gen_random_uuid()::text as id, timestamptz '2026-12-02 00:00:00+00' + i * interval '1 ms' as at,
                      now() as recorded
                    from generate_series(%d::bigint, %d::bigint) as i""".formatted(from, to - 1));
            st.execute("""
                    insert into audit_entry (seq, event_id, type, source, exchange_id, from_agency, to_agency,
                      correlation_id, occurred_at, recorded_at, producer, producer_seq, envelope)
                    select i + 1, id, 'case-transfer.submitted', 'case-transfer-service', 'exchange-' || (i / 4),
                      'sc-chengdu-intermediate-court', 'cq-first-intermediate-court', 'corr-bulk-' || i, at, recorded,
                      'bulk-producer', i + 1,
                      '{"id":"' || id || '","source":"case-transfer-service","type":"case-transfer.submitted",'
                      || '"subject":"exchange-' || (i / 4) || '","time":"'
                      || to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS')
                      || case when i % 1000 = 0 then '' else '.' || lpad((i % 1000)::text, 3, '0') end || 'Z",'
                      || '"correlationId":"corr-bulk-' || i || '","fromAgency":"sc-chengdu-intermediate-court",'
                      || '"toAgency":"cq-first-intermediate-court","data":{"n":' || i
                      || ',"caseNumber":"(2026)川01刑初' || i || '号"}}'
                    from bulk order by i""");
            st.execute("insert into audit_leaf (leaf_index, seq) select i, i + 1 from bulk order by i");
            st.execute("""
                    insert into merkle_node (level, idx, hash)
                    select 0, i, sha256('\\x00'::bytea || convert_to('{"v":1,"seq":' || (i + 1) || ',"eventId":"' || id
                      || '","type":"case-transfer.submitted","source":"case-transfer-service","exchangeId":"exchange-'
                      || (i / 4) || '","fromAgency":"sc-chengdu-intermediate-court",'
                      || '"toAgency":"cq-first-intermediate-court","correlationId":"corr-bulk-' || i
                      || '","occurredAt":"' || to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
                      || '","recordedAt":"' || to_char(recorded at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
                      || '","producer":"bulk-producer","producerSeq":' || (i + 1) || ',"data":{"caseNumber":"(2026)川01刑初'
                      || i || '号","n":' || i || '}}', 'UTF8'))
                    from bulk order by i""");
            for (int level = 1; level < 63 && (1L << level) <= to; level++) {
                long width = 1L << level;
                long low = (from + width) / width - 1;   // first node completed by a leaf >= from
                long high = to / width - 1;
                if (low > high) {
                    continue;
                }
                st.execute("""
                        insert into merkle_node (level, idx, hash)
                        select %d, a.idx / 2, sha256('\\x01'::bytea || a.hash || b.hash)
                        from merkle_node a join merkle_node b on b.level = a.level and b.idx = a.idx + 1
                        where a.level = %d and a.idx between %d and %d and a.idx %% 2 = 0""".formatted(level,
                        level - 1, 2 * low, 2 * high));
            }
            c.commit();
            c.setAutoCommit(true);
            st.execute("analyze audit_entry, audit_leaf, merkle_node");
        }
    }

    static List<IncomingEvent> events(long from, long to) {
        Instant time = Instant.parse("2026-12-02T00:00:00Z");
        List<IncomingEvent> events = new ArrayList<>((int) (to - from));
        for (long i = from; i < to; i++) {
            events.add(new IncomingEvent(new EventEnvelope(UUID.randomUUID().toString(), "case-transfer-service",
                    "case-transfer.submitted", "exchange-" + (i / 4), time.plusMillis(i), "corr-bulk-" + i,
                    "sc-chengdu-intermediate-court", "cq-first-intermediate-court",
                    Map.of("caseNumber", "(2026)川01刑初" + i + "号", "n", i)), "bulk-producer", i + 1));
        }
        return events;
    }

    static long[] relationSizes(DataSource ds) throws Exception {
        try (Connection c = ds.getConnection(); var st = c.createStatement()) {
            var rs = st.executeQuery("""
                    select pg_total_relation_size('audit_entry'), pg_total_relation_size('audit_leaf'),
                      pg_total_relation_size('merkle_node'), pg_total_relation_size('tree_head')""");
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)};
        }
    }

    /**
     * A log of {@code size} entries whose leaves all have one hash H0, so every complete subtree at level L has the
     * hash H_L = SHA-256(0x01 || H_{L-1} || H_{L-1}) and every proof served from it verifies against the real root
     * MTH of that tree. Stored are only the merkle_node rows the sampled proofs (and the root) read, in the
     * service's own table and format, and an audit_entry + audit_leaf row for each sampled leaf and for the last
     * leaf (the log's size is the highest leaf index + 1). What is synthetic: the entries (identical leaves,
     * placeholder rows) and the tables' size (a few thousand rows, so their indexes are two levels deep and cached,
     * where a real log of this size holds about 2 × size node rows).
     */
    static long synthetic(DataSource ds, long size) throws Exception {
        byte[][] levels = new byte[63][];
        levels[0] = MerkleHashes.leafHash("synthetic".getBytes());
        for (int l = 1; l < 63; l++) {
            levels[l] = MerkleHashes.nodeHash(levels[l - 1], levels[l - 1]);
        }
        Set<NodeKey> needed = new LinkedHashSet<>();
        MerkleTree recorder = new MerkleTree(keys -> {
            needed.addAll(keys);
            Map<NodeKey, byte[]> out = new HashMap<>();
            keys.forEach(k -> out.put(k, levels[k.level()]));
            return out;
        });
        recorder.root(size);
        Set<Long> leaves = new java.util.TreeSet<>();
        leaves.add(size - 1);
        int sampled = 0;
        for (long[] pair : Bench.sample(size)) {
            leaves.add(pair[0] - 1);
            needed.add(new NodeKey(0, pair[0] - 1));
            recorder.inclusionPath(pair[0] - 1, size);
            recorder.consistencyPath(pair[1], size);
            if (sampled++ < 50) {
                recorder.root(pair[1]);   // the checks verify the first 50 against the old root too
            }
        }
        needed.add(new NodeKey(0, size - 1));
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(
                    "insert into merkle_node (level, idx, hash) select l, i, decode(h, 'hex') from unnest(?::int[], ?::bigint[], ?::text[]) as t(l, i, h)")) {
                List<NodeKey> all = new ArrayList<>(needed);
                ps.setArray(1, c.createArrayOf("int4", all.stream().map(NodeKey::level).toArray()));
                ps.setArray(2, c.createArrayOf("int8", all.stream().map(NodeKey::index).toArray()));
                ps.setArray(3, c.createArrayOf("text", all.stream().map(k -> HEX.formatHex(levels[k.level()])).toArray()));
                ps.executeUpdate();
            }
            Long[] idx = leaves.toArray(Long[]::new);
            try (PreparedStatement ps = c.prepareStatement("""
                    insert into audit_entry (seq, event_id, type, source, exchange_id, occurred_at, recorded_at, envelope)
                    select i + 1, 'synthetic-' || i, 'bench.synthetic', 'bench', 'synthetic', now(), now(), '{}'
                    from unnest(?::bigint[]) as t(i)""")) {
                ps.setArray(1, c.createArrayOf("int8", idx));
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "insert into audit_leaf (leaf_index, seq) select i, i + 1 from unnest(?::bigint[]) as t(i)")) {
                ps.setArray(1, c.createArrayOf("int8", idx));
                ps.executeUpdate();
            }
            c.commit();
            try (var st = c.createStatement()) {
                c.setAutoCommit(true);
                st.execute("analyze audit_entry, audit_leaf, merkle_node");
            }
        }
        return needed.size() + 2L * leaves.size();
    }

    static void append(Path tsv, String line) throws Exception {
        Files.writeString(tsv, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    static PrivateKey key(Path pem) throws Exception {
        String text = Files.readString(pem);
        return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(
                Base64.getDecoder().decode(text.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", ""))));
    }

    static final class Bench {
        private final HttpClient http = HttpClient.newHttpClient();
        private final String base;
        private final PrincipalTokens.Issuer issuer;
        private final LogStore store;
        private final MerkleTree tree;
        private final DataSource ds;

        Bench(int port, PrivateKey key, LogStore store, DataSource ds) {
            this.ds = ds;
            this.base = "http://localhost:" + port + "/api/v1/audit/";
            this.issuer = new PrincipalTokens.Issuer("gateway", key);
            this.store = store;
            this.tree = new MerkleTree(store);
        }

        /** The loaded rows are what the service would store: its canonical bytes of an entry hash to the leaf. */
        void checkLeaves(long size) throws Exception {
            Random random = new Random(7);
            for (int i = 0; i < 20; i++) {
                long seq = i == 0 ? size : 1 + (long) (random.nextDouble() * size);
                String[] body = new String[1];
                get("entries/" + seq, body);
                Matcher m = Pattern.compile("\"canonical\"\\s*:\\s*\"([^\"]+)\"").matcher(body[0]);
                if (!m.find()) {
                    throw new IllegalStateException("no canonical bytes in " + body[0]);
                }
                byte[] leaf = MerkleHashes.leafHash(Base64.getDecoder().decode(m.group(1)));
                if (!Arrays.equals(leaf, store.leafOfSeq(seq).orElseThrow().leafHash())) {
                    throw new IllegalStateException("loaded leaf of seq " + seq + " is not the service's: " + body[0]);
                }
            }
        }

        /** (seq, consistency-from) pairs: the same seeded sample for a given size in every run. */
        static List<long[]> sample(long size) {
            Random random = new Random(42);
            List<long[]> out = new ArrayList<>();
            for (int i = 0; i < WARMUP + MEASURED; i++) {
                long seq = 1 + (long) (random.nextDouble() * size);
                long from = 1 + (long) (random.nextDouble() * (size - 1));
                out.add(new long[] {seq, from});
            }
            return out;
        }

        void measure(long size, boolean synthetic, Path tsv) throws Exception {
            List<long[]> sample = sample(size);
            byte[] root = tree.root(size);
            List<Double> inclusion = new ArrayList<>();
            List<Double> consistency = new ArrayList<>();
            int checked = 0;
            for (int i = 0; i < sample.size(); i++) {
                long seq = sample.get(i)[0];
                long from = sample.get(i)[1];
                String[] body = new String[1];
                double ms = get("proofs/inclusion?seq=" + seq + "&treeSize=" + size, body);
                if (i >= WARMUP) {
                    inclusion.add(ms);
                }
                if (i < 50) {
                    checkInclusion(body[0], seq - 1, size, root);
                }
                ms = get("proofs/consistency?from=" + from + "&to=" + size, body);
                if (i >= WARMUP) {
                    consistency.add(ms);
                }
                if (i < 50) {
                    checkConsistency(body[0], from, size, tree.root(from), root);
                    checked++;
                }
            }
            // The same proofs without HTTP, one kind after the other, with the CPU they take (this JVM + backends).
            List<Double> jvmInclusion = new ArrayList<>();
            List<Double> jvmConsistency = new ArrayList<>();
            double[] c0 = cpu(ds);
            for (int i = 0; i < sample.size(); i++) {
                long t0 = System.nanoTime();
                LogStore.Leaf leaf = store.leafOfSeq(sample.get(i)[0]).orElseThrow();
                tree.inclusionPath(leaf.leafIndex(), size).stream().map(MerkleHashes::hex).toList();
                if (i >= WARMUP) {
                    jvmInclusion.add((System.nanoTime() - t0) / 1e6);
                }
            }
            double[] c1 = cpu(ds);
            for (int i = 0; i < sample.size(); i++) {
                long t0 = System.nanoTime();
                tree.consistencyPath(sample.get(i)[1], size).stream().map(MerkleHashes::hex).toList();
                if (i >= WARMUP) {
                    jvmConsistency.add((System.nanoTime() - t0) / 1e6);
                }
            }
            double[] c2 = cpu(ds);
            int n = sample.size();
            System.out.printf("- CPU per proof in the JVM path (JVM + PostgreSQL backends): inclusion %.0f + %.0f µs, "
                    + "consistency %.0f + %.0f µs%n", (c1[0] - c0[0]) * 1e6 / n, (c1[1] - c0[1]) * 1e6 / n,
                    (c2[0] - c1[0]) * 1e6 / n, (c2[1] - c1[1]) * 1e6 / n);
            append(tsv, String.format("%d\tcpu\t%s\t%.1f\t%.1f\t%.1f\t%.1f%n", size, synthetic ? "synthetic" : "real",
                    (c1[0] - c0[0]) * 1e6 / n, (c1[1] - c0[1]) * 1e6 / n, (c2[0] - c1[0]) * 1e6 / n,
                    (c2[1] - c1[1]) * 1e6 / n));
            String kind = synthetic ? "synthetic" : "real";
            report(tsv, size, kind, "inclusion-http", inclusion);
            report(tsv, size, kind, "consistency-http", consistency);
            report(tsv, size, kind, "inclusion-jvm", jvmInclusion);
            report(tsv, size, kind, "consistency-jvm", jvmConsistency);
            System.out.printf("  (%d inclusion and %d consistency proofs checked against the root %s…)%n", checked,
                    checked, HEX.formatHex(root).substring(0, 12));
        }

        static void report(Path tsv, long size, String kind, String what, List<Double> ms) throws Exception {
            System.out.printf("- %s log of %,d entries, %s proofs (%d after %d warm-up, one client): "
                    + "**p50 %.2f ms, p99 %.2f ms**, max %.2f ms%n", kind, size, what.replace("-", " over ").replace(
                    "over jvm", "in the JVM"), ms.size(), WARMUP, pct(ms, .5), pct(ms, .99), pct(ms, 1));
            append(tsv, String.format("%d\t%s\t%s\t%.3f\t%.3f\t%.3f%n", size, kind, what, pct(ms, .5), pct(ms, .99),
                    pct(ms, 1)));
        }

        double get(String path, String[] body) throws Exception {
            URI uri = URI.create(base + path);
            String token = issuer.tokenFor(new Caller("supervisor-auditor", Role.AUDITOR, null, null),
                    "audit-service", "GET", uri.getRawPath(), Instant.now());
            long t0 = System.nanoTime();   // the signature is the gateway's cost, not the proof's
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).header("X-Chuanyu-Principal", token)
                    .build(), HttpResponse.BodyHandlers.ofString());
            double ms = (System.nanoTime() - t0) / 1e6;
            if (r.statusCode() != 200) {
                throw new IllegalStateException(uri + " -> " + r.statusCode() + " " + r.body());
            }
            body[0] = r.body();
            return ms;
        }
    }

    static double pct(List<Double> values, double p) {
        List<Double> s = new ArrayList<>(values);
        Collections.sort(s);
        return s.get(Math.max(0, Math.min(s.size() - 1, (int) Math.ceil(p * s.size()) - 1)));
    }

    // ---- RFC 9162 §2.1.3.2 and §2.1.4.2 verification, independent of the service's code

    static final Pattern HASHES = Pattern.compile("\"(auditPath|path)\"\\s*:\\s*\\[([^\\]]*)\\]");
    static final Pattern LEAF = Pattern.compile("\"leafHash\"\\s*:\\s*\"([0-9a-f]{64})\"");

    static List<byte[]> path(String json) {
        Matcher m = HASHES.matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no path in " + json);
        }
        List<byte[]> out = new ArrayList<>();
        for (String h : m.group(2).split(",")) {
            String t = h.trim().replace("\"", "");
            if (!t.isEmpty()) {
                out.add(HEX.parseHex(t));
            }
        }
        return out;
    }

    /** The kit's RFC 9162 check (the one witnesses and auditors use) on a proof answered over HTTP. */
    static void checkInclusion(String json, long index, long size, byte[] root) {
        Matcher m = LEAF.matcher(json);
        if (!m.find() || !MerkleProofs.includes(index, size, HEX.parseHex(m.group(1)), path(json), root)) {
            throw new IllegalStateException("inclusion proof of leaf " + index + " in " + size + " does not verify");
        }
    }

    static void checkConsistency(String json, long first, long second, byte[] firstRoot, byte[] secondRoot) {
        if (!MerkleProofs.consistent(first, second, firstRoot, secondRoot, path(json))) {
            throw new IllegalStateException("consistency proof " + first + " → " + second + " does not verify");
        }
    }
}
