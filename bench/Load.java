import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small, bounded HTTP load generator for bench/run.sh and bench/faults.sh (JDK only: java bench/Load.java ...).
 *
 * <pre>
 * java bench/Load.java url=http://localhost:27180/api/v1/case-transfers body=transfer auth=bearer:KEY \
 *      seconds=60 threads=32 [rps=500] [max=10000] [retries=0] [ids=out.txt]
 * </pre>
 * body: transfer | assistance | evidence | mix (the three in turn) | package (an evidence package created, given
 * one small item and sealed: three requests, each retried, one exchange) | mix-sealed (transfer, assistance,
 * package in turn) | none (GET url; {id} in the url is replaced by
 * a line of ids-in= in turn). auth: bearer:API_KEY, or token:PEM:AGENCY:REGION:KIND:AUDIENCE (a principal token
 * signed like the gateway's, one per request for that service, method and path, for calls straight to a service). Closed loop (each thread sends its next
 * request when the last answered) unless rps= is given (open loop, requests scheduled at that rate; latency is
 * measured from the scheduled time, so a backlog shows). retries=N repeats a failed POST (connection error, 5xx,
 * 429) with the same Idempotency-Key, so a retry cannot create a second exchange. Prints one summary line of
 * key=value pairs; ids= gets "kind id sentEpochMillis" for every 201 (a package: once sealed).
 * to-court= and to-police= name the recipients (default the Chongqing court and police: a Sichuan sender's).
 */
public class Load {

    static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            a.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        String url = a.get("url");
        String body = a.getOrDefault("body", "none");
        int seconds = Integer.parseInt(a.getOrDefault("seconds", "30"));
        int threads = Integer.parseInt(a.getOrDefault("threads", "16"));
        double rps = Double.parseDouble(a.getOrDefault("rps", "0"));
        long max = Long.parseLong(a.getOrDefault("max", "" + Long.MAX_VALUE));
        int retries = Integer.parseInt(a.getOrDefault("retries", "0"));
        List<String> getIds = a.containsKey("ids-in") ? Files.readAllLines(Path.of(a.get("ids-in"))).stream()
                .map(l -> l.split(" ")[1]).toList() : List.of();
        Auth auth = new Auth(a.getOrDefault("auth", ""));
        toCourt = a.getOrDefault("to-court", toCourt);
        toPolice = a.getOrDefault("to-police", toPolice);

        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        AtomicLong sequence = new AtomicLong();
        AtomicLong ok = new AtomicLong(), failed = new AtomicLong(), retried = new AtomicLong();
        Map<Integer, AtomicLong> statuses = new java.util.concurrent.ConcurrentHashMap<>();
        ConcurrentLinkedQueue<String> created = new ConcurrentLinkedQueue<>();
        long[][] latencies = new long[threads][];
        int[] counts = new int[threads];
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            final int me = t;
            latencies[me] = new long[1 << 16];
            Thread worker = new Thread(() -> {
                while (true) {
                    long n = sequence.getAndIncrement();
                    if (n >= max) {
                        return;
                    }
                    long scheduled = rps > 0 ? start + (long) (n * 1e9 / rps) : System.nanoTime();
                    if (scheduled >= end) {
                        return;
                    }
                    long now;
                    while ((now = System.nanoTime()) < scheduled) {
                        sleepNanos(scheduled - now);
                    }
                    if (rps <= 0 && now >= end) {
                        return;
                    }
                    String kind = kindOf(body, n);
                    String target = url;
                    if (!getIds.isEmpty()) {
                        target = url.replace("{id}", getIds.get((int) (n % getIds.size())));
                    }
                    else if (kind.equals("assistance")) {
                        target = url.replace("/case-transfers", "/assistance-requests");
                    }
                    else if (kind.equals("evidence") || kind.equals("package")) {
                        target = url.replace("/case-transfers", "/evidence-packages");
                    }
                    String key = "bench-" + UUID.randomUUID();
                    int status = -1;
                    String answer = null;
                    for (int attempt = 0; attempt <= retries; attempt++) {
                        if (attempt > 0) {
                            retried.incrementAndGet();
                            sleepNanos(Math.min(2_000_000_000L, 100_000_000L << Math.min(attempt, 5)));
                        }
                        try {
                            URI uri = URI.create(target);
                            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(15));
                            auth.apply(request, kind.equals("none") ? "GET" : "POST", uri);
                            if (kind.equals("none")) {
                                request.GET();
                            }
                            else {
                                request.header("Content-Type", "application/json").header("Idempotency-Key", key)
                                        .POST(HttpRequest.BodyPublishers.ofString(json(kind, n)));
                            }
                            HttpResponse<String> response = client.send(request.build(),
                                    HttpResponse.BodyHandlers.ofString());
                            status = response.statusCode();
                            answer = response.body();
                        }
                        catch (IOException ex) {
                            status = -1;
                        }
                        catch (InterruptedException ex) {
                            return;
                        }
                        if (status != -1 && status < 500 && status != 429) {
                            break;
                        }
                        if (System.nanoTime() > end + 60_000_000_000L) {
                            break;
                        }
                    }
                    if (kind.equals("package") && status == 201 && answer != null) {
                        Matcher m = ID.matcher(answer);
                        String id = m.find() ? m.group(1) : null;
                        // The item and the seal, each retried like the creation; a 409 on a retry means the
                        // earlier attempt took effect (the item exists, the package is sealed).
                        int put = id == null ? -1 : step(client, auth, retries, end, retried, "PUT",
                                target + "/" + id + "/items/note.txt", "text/plain", "bench " + n);
                        int seal = put < 200 || put >= 300 ? put : step(client, auth, retries, end, retried, "POST",
                                target + "/" + id + "/seal", null, null);
                        if (seal < 200 || seal >= 300) {
                            status = seal == -1 ? -1 : 1000 + seal;   // 1xxx: the creation worked, a later step not
                        }
                        kind = "evidence";
                    }
                    long micros = (System.nanoTime() - scheduled) / 1000;
                    statuses.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
                    if (status >= 200 && status < 300) {
                        ok.incrementAndGet();
                        if (counts[me] == latencies[me].length) {
                            latencies[me] = Arrays.copyOf(latencies[me], counts[me] * 2);
                        }
                        latencies[me][counts[me]++] = micros;
                        if (status == 201 && answer != null) {
                            Matcher m = ID.matcher(answer);
                            if (m.find()) {
                                created.add(kind + " " + m.group(1) + " " + System.currentTimeMillis());
                            }
                        }
                    }
                    else {
                        failed.incrementAndGet();
                    }
                }
            });
            worker.start();
            workers.add(worker);
        }
        for (Thread worker : workers) {
            worker.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        long[] all = new long[(int) ok.get()];
        int k = 0;
        for (int t = 0; t < threads; t++) {
            System.arraycopy(latencies[t], 0, all, k, counts[t]);
            k += counts[t];
        }
        Arrays.sort(all, 0, k);
        if (a.containsKey("ids")) {
            try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(Path.of(a.get("ids"))))) {
                created.forEach(out::println);
            }
        }
        StringBuilder codes = new StringBuilder();
        statuses.forEach((s, c) -> codes.append(codes.length() == 0 ? "" : ",").append(s).append(':').append(c));
        System.out.printf("requests=%d ok=%d failed=%d retries=%d seconds=%.1f rate=%.1f p50_ms=%.2f p95_ms=%.2f "
                        + "p99_ms=%.2f max_ms=%.2f statuses=%s%n",
                ok.get() + failed.get(), ok.get(), failed.get(), retried.get(), elapsed, ok.get() / elapsed,
                pct(all, k, 0.50), pct(all, k, 0.95), pct(all, k, 0.99), k == 0 ? 0 : all[k - 1] / 1000.0, codes);
    }

    /** One request of a multi-step exchange, retried on connection errors, 5xx and 429; 409 after a retry is done. */
    static int step(HttpClient client, Auth auth, int retries, long end, AtomicLong retried, String method, String url,
            String contentType, String body) {
        int status = -1;
        for (int attempt = 0; attempt <= retries; attempt++) {
            if (attempt > 0) {
                retried.incrementAndGet();
                sleepNanos(Math.min(2_000_000_000L, 100_000_000L << Math.min(attempt, 5)));
            }
            try {
                URI uri = URI.create(url);
                HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(15));
                auth.apply(request, method, uri);
                if (contentType != null) {
                    request.header("Content-Type", contentType);
                }
                request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
                status = client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            }
            catch (IOException ex) {
                status = -1;
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return -1;
            }
            if (status == 409 && attempt > 0) {
                return 200;
            }
            if (status != -1 && status < 500 && status != 429) {
                return status;
            }
            if (System.nanoTime() > end + 60_000_000_000L) {
                break;
            }
        }
        return status;
    }

    static double pct(long[] sorted, int n, double p) {
        if (n == 0) {
            return 0;
        }
        return sorted[Math.min(n - 1, (int) Math.ceil(p * n) - 1)] / 1000.0;
    }

    static String toCourt = "cq-first-intermediate-court";
    static String toPolice = "cq-yubei-public-security";

    static String kindOf(String body, long n) {
        if (!body.equals("mix") && !body.equals("mix-sealed")) {
            return body;
        }
        return switch ((int) (n % 3)) {
            case 0 -> "transfer";
            case 1 -> "assistance";
            default -> body.equals("mix") ? "evidence" : "package";
        };
    }

    static String json(String kind, long n) {
        return switch (kind) {
            case "transfer" -> "{\"caseNumber\":\"(2026)川01刑初" + n + "号\",\"title\":\"压测移送" + n
                    + "\",\"caseType\":\"CRIMINAL\",\"toAgency\":\"" + toCourt + "\","
                    + "\"reason\":\"被告人户籍地在重庆\",\"summary\":\"bench\"}";
            case "assistance" -> "{\"type\":\"INVESTIGATION\",\"toAgency\":\"" + toPolice + "\","
                    + "\"subject\":\"协查" + n + "\",\"details\":\"bench\"}";
            case "evidence", "package" -> "{\"title\":\"证据" + n + "\",\"toAgency\":\"" + toCourt + "\"}";
            default -> throw new IllegalArgumentException(kind);
        };
    }

    static void sleepNanos(long nanos) {
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * bearer:KEY, or token:PEM:AGENCY:REGION:KIND:AUDIENCE: a principal token signed as the gateway signs it
     * (PrincipalTokens, cy2), one per request, bound to its service, method and path, as services accept each once.
     */
    static final class Auth {
        final String spec;
        PrivateKey key;

        Auth(String spec) throws Exception {
            this.spec = spec;
            if (spec.startsWith("token:")) {
                String pem = Files.readString(Path.of(spec.split(":")[1]));
                String b64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
                key = KeyFactory.getInstance("Ed25519")
                        .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(b64)));
            }
        }

        void apply(HttpRequest.Builder request, String method, URI target) {
            if (spec.startsWith("bearer:")) {
                request.header("Authorization", "Bearer " + spec.substring(7));
            }
            else if (key != null) {
                request.header("X-Chuanyu-Principal", tokenFor(method, target.getRawPath()));
            }
        }

        String tokenFor(String method, String path) {
            String[] f = spec.split(":");
            long now = System.currentTimeMillis() / 1000;
            String claims = String.join("|", "cy2", "gateway", f[5], method, UUID.randomUUID().toString(), "" + now,
                    "" + (now + 30), f[2], "AGENCY", f[3], f[4], path);
            try {
                Signature signer = Signature.getInstance("Ed25519");
                signer.initSign(key);
                byte[] bytes = claims.getBytes(StandardCharsets.UTF_8);
                signer.update(bytes);
                Base64.Encoder b = Base64.getUrlEncoder().withoutPadding();
                return b.encodeToString(bytes) + "." + b.encodeToString(signer.sign());
            }
            catch (Exception ex) {
                throw new IllegalStateException(ex);
            }
        }
    }
}
