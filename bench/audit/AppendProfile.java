// Where a bulk append's time goes, phase by phase (µs per entry), for bench/results/2026-12-02-audit.md. It sits in
// the writer's package to call LogStore's package-private steps in AuditLog.append's order. Run it against the
// exploded audit-service jar in a throw-away database (environment as bench/audit-proofs.sh sets it):
//   javac -d cls -cp "app/BOOT-INF/classes:app/BOOT-INF/lib/*" bench/audit/AppendProfile.java
//   AUDIT_DB_NAME=... RABBIT_VHOST=... GATEWAY_PUBLIC_KEY=file:gw.pub AUDIT_SIGNING_KEY_FILE=audit.key \
//     java -cp "app/BOOT-INF/classes:app/BOOT-INF/lib/*:cls" cn.chuanyu.audit.log.AppendProfile <port> <rounds of 10,000>
package cn.chuanyu.audit.log;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.*;
import cn.chuanyu.audit.AuditServiceApplication;
import cn.chuanyu.contracts.EventEnvelope;
import cn.chuanyu.kit.json.Json;
import org.springframework.boot.SpringApplication;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

public class AppendProfile {
    public static void main(String[] args) throws Exception {
        var ctx = SpringApplication.run(AuditServiceApplication.class, "--server.port=" + args[0],
                "--spring.rabbitmq.listener.simple.auto-startup=false", "--chuanyu.audit.sign-interval=1h", "--logging.level.root=WARN");
        LogStore store = ctx.getBean(LogStore.class);
        AuditLog log = ctx.getBean(AuditLog.class);
        var tx = new TransactionTemplate(ctx.getBean(PlatformTransactionManager.class));
        var jdbc = ctx.getBean(org.springframework.jdbc.core.JdbcTemplate.class);
        int batch = 10000;
        Instant time = Instant.parse("2026-12-02T00:00:00Z");
        long[] t = new long[8];
        for (int round = 0; round < Integer.parseInt(args[1]); round++) {
            long base = store.treeSize();
            long a = System.nanoTime();
            List<IncomingEvent> events = new ArrayList<>();
            for (long i = base; i < base + batch; i++) {
                events.add(new IncomingEvent(new EventEnvelope(UUID.randomUUID().toString(), "case-transfer-service",
                        "case-transfer.submitted", "exchange-" + (i / 4), time.plusMillis(i), "corr-bulk-" + i,
                        "sc-chengdu-intermediate-court", "cq-first-intermediate-court",
                        Map.of("caseNumber", "(2026)川01刑初" + i + "号", "n", i)), "bulk-producer", i + 1));
            }
            long b = System.nanoTime();
            Instant rec = Instant.now().truncatedTo(ChronoUnit.MICROS);
            List<EntryRecord> recs = new ArrayList<>();
            long seq = base;
            for (IncomingEvent in : events) {
                EventEnvelope e = in.event();
                recs.add(new EntryRecord(++seq, e.id(), e.type(), e.source(), e.subject(), e.fromAgency(), e.toAgency(),
                        e.correlationId(), e.time().truncatedTo(ChronoUnit.MICROS), rec, in.producer(), in.producerSeq(), Json.write(e)));
            }
            long c = System.nanoTime();
            List<byte[]> hashes = new ArrayList<>();
            for (EntryRecord r : recs) hashes.add(CanonicalEntry.leafHash(r));
            long d = System.nanoTime();
            long[] tt = new long[5];
            tx.executeWithoutResult(s -> {
                long x0 = System.nanoTime();
                store.lockWriter();
                store.existingEventIds(recs.stream().map(EntryRecord::eventId).toList());
                long x1 = System.nanoTime();
                store.insertEntries(recs);
                long x2 = System.nanoTime();
                Frontier f = Frontier.of(base, store.read(Frontier.keysFor(base)));
                List<Frontier.Node> nodes = new ArrayList<>();
                List<Long> seqs = new ArrayList<>();
                for (int i = 0; i < recs.size(); i++) { nodes.addAll(f.append(hashes.get(i))); seqs.add(recs.get(i).seq()); }
                store.insertLeaves(base, seqs);
                long x3 = System.nanoTime();
                store.insertNodes(nodes);
                long x4 = System.nanoTime();
                tt[0] = x1 - x0; tt[1] = x2 - x1; tt[2] = x3 - x2; tt[3] = x4 - x3; tt[4] = System.nanoTime();
            });
            long e = System.nanoTime();
            if (round > 0) {
                t[0] += b - a; t[1] += c - b; t[2] += d - c; t[3] += tt[0]; t[4] += tt[1]; t[5] += tt[2]; t[6] += tt[3]; t[7] += e - tt[4];
            }
        }
        int n = (Integer.parseInt(args[1]) - 1) * batch;
        String[] names = {"make events", "Json.write", "leafHash", "lock+existing ids", "insert entries", "insert leaves (+frontier)", "insert nodes", "commit"};
        for (int i = 0; i < 8; i++) System.out.printf("%-28s %6.1f us/entry%n", names[i], t[i] / 1e3 / n);
        ctx.close();
        System.exit(0);
    }
}
