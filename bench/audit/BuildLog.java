import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import cn.chuanyu.audit.AuditServiceApplication;
import cn.chuanyu.audit.log.AuditLog;
import cn.chuanyu.audit.log.IncomingEvent;
import cn.chuanyu.audit.log.LogStore;
import cn.chuanyu.contracts.EventEnvelope;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Builds an N-entry audit log through the production writer (AuditLog.append, batches of 10,000, as LargeLogIT
 * does with 100,000) inside a real audit-service (its own database, listener off), then times inclusion and
 * consistency proofs over HTTP (principal token signed with the run's gateway key) and in the JVM. Run by
 * bench/audit-proofs.sh against the exploded audit-service jar. Args: entries port gateway-private.pem
 */
public class BuildLog {
    public static void main(String[] args) throws Exception {
        int size = Integer.parseInt(args[0]);
        int port = Integer.parseInt(args[1]);
        ConfigurableApplicationContext ctx = SpringApplication.run(AuditServiceApplication.class,
                "--server.port=" + port, "--spring.rabbitmq.listener.simple.auto-startup=false",
                "--chuanyu.audit.sign-interval=1h", "--logging.level.root=WARN");
        AuditLog log = ctx.getBean(AuditLog.class);
        LogStore store = ctx.getBean(LogStore.class);
        int batch = 10_000;
        long start = System.nanoTime();
        Instant time = Instant.now().truncatedTo(ChronoUnit.MICROS);
        long have = store.treeSize();
        for (long n = have; n < size; n += batch) {
            List<IncomingEvent> events = new ArrayList<>(batch);
            for (long i = n; i < Math.min(size, n + batch); i++) {
                events.add(new IncomingEvent(new EventEnvelope(UUID.randomUUID().toString(), "case-transfer-service",
                        "case-transfer.submitted", "exchange-" + (i / 4), time.plusMillis(i), "corr-bulk-" + i,
                        "sc-chengdu-intermediate-court", "cq-first-intermediate-court",
                        Map.of("caseNumber", "(2026)川01刑初" + i + "号", "n", i)), "bulk-producer", i + 1));
            }
            log.append(events);
            if ((n / batch) % 10 == 0) {
                System.err.printf("  %,d entries, %.0f s%n", n + events.size(), (System.nanoTime() - start) / 1e9);
            }
        }
        double build = (System.nanoTime() - start) / 1e9;
        long tree = store.treeSize();

        String pem = Files.readString(Path.of(args[2]));
        var key = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(
                Base64.getDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", ""))));
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://localhost:" + port + "/api/v1/audit/";
        // A token per request, as the gateway signs them (bound to the request; a service accepts each once).
        var issuer = new cn.chuanyu.kit.identity.PrincipalTokens.Issuer("gateway", key);
        get(http, base + "tree-head?fresh=true", issuer);
        Random random = new Random(42);
        List<Double> inclusion = new ArrayList<>(), consistency = new ArrayList<>();
        for (int i = 0; i < 1100; i++) {   // 100 warm-up, 1000 measured
            long seq = 1 + (long) (random.nextDouble() * tree);
            double ms = get(http, base + "proofs/inclusion?seq=" + seq + "&treeSize=" + tree, issuer);
            if (i >= 100) inclusion.add(ms);
            long from = 1 + (long) (random.nextDouble() * (tree - 1));
            ms = get(http, base + "proofs/consistency?from=" + from + "&to=" + tree, issuer);
            if (i >= 100) consistency.add(ms);
        }
        System.out.printf("- log of %,d entries built through AuditLog.append (batches of %,d) in %.0f s: **%.0f appends/s** (bulk path; the live consumer appends batches of up to 500, see the end-to-end figures)%n",
                tree, batch, build, (tree - have) / build);
        System.out.printf("- inclusion proofs (random leaf, tree size %,d, over HTTP incl. principal check and JSON, 1,000 after 100 warm-up, one client): **p50 %.2f ms, p99 %.2f ms**, max %.2f ms (target <= 10 ms)%n",
                tree, pct(inclusion, .5), pct(inclusion, .99), pct(inclusion, 1));
        System.out.printf("- consistency proofs (random old size to %,d, same way): **p50 %.2f ms, p99 %.2f ms**, max %.2f ms%n",
                tree, pct(consistency, .5), pct(consistency, .99), pct(consistency, 1));
        ctx.close();
        System.exit(0);
    }

    static double pct(List<Double> values, double p) {
        List<Double> s = new ArrayList<>(values);
        Collections.sort(s);
        return s.get(Math.max(0, Math.min(s.size() - 1, (int) Math.ceil(p * s.size()) - 1)));
    }

    static double get(HttpClient http, String url, cn.chuanyu.kit.identity.PrincipalTokens.Issuer issuer)
            throws Exception {
        URI uri = URI.create(url);
        String token = issuer.tokenFor(new cn.chuanyu.kit.identity.Caller("supervisor-auditor",
                cn.chuanyu.contracts.Role.AUDITOR, null, null), "audit-service", "GET", uri.getRawPath(),
                java.time.Instant.now());
        long t0 = System.nanoTime();   // the signature is the gateway's cost, not the proof's
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).header("X-Chuanyu-Principal", token)
                .build(), HttpResponse.BodyHandlers.ofString());
        double ms = (System.nanoTime() - t0) / 1e6;
        if (r.statusCode() != 200) throw new IllegalStateException(url + " -> " + r.statusCode() + " " + r.body());
        return ms;
    }
}
