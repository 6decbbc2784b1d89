package cn.chuanyu.system;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import cn.chuanyu.kit.identity.Ed25519Keys;
import cn.chuanyu.kit.test.TestHttp;
import cn.chuanyu.kit.test.TestInfrastructure;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole platform as separate processes, started from the packaged jars the way {@code ./platform up} starts
 * them, but on free ports, in this run's vhost and with this run's databases.
 */
final class Platform implements AutoCloseable {

    static final List<String> SERVICES = List.of("audit-service", "case-transfer-service",
            "evidence-exchange-service", "gateway");

    private static Platform shared;

    private final Path root = Path.of("..").toAbsolutePath().normalize();
    private final Path work;
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private final Map<String, Process> processes = new LinkedHashMap<>();

    Platform() throws IOException {
        work = Path.of("target", "platform-" + TestInfrastructure.RUN_ID).toAbsolutePath();
        Files.createDirectories(work);
        Files.writeString(work.resolve("gateway-public.pem"),
                Ed25519Keys.toPem(TestInfrastructure.GATEWAY_KEYS.getPublic()));
        Files.writeString(work.resolve("gateway-private.pem"),
                Ed25519Keys.toPem(TestInfrastructure.GATEWAY_KEYS.getPrivate()));
        for (String service : SERVICES) {
            ports.put(service, freePort());
        }
    }

    /** One platform for all system tests of this JVM (starting four services costs a minute on two cores). */
    static synchronized Platform shared() {
        if (shared == null) {
            Platform platform;
            try {
                platform = new Platform();
            }
            catch (IOException ex) {
                throw new IllegalStateException(ex);
            }
            // Registered before starting, so a failed start leaves no process behind either.
            Runtime.getRuntime().addShutdownHook(new Thread(platform::close));
            shared = platform.startAll();
        }
        return shared;
    }

    Platform startAll() {
        SERVICES.forEach(service -> start(service));
        SERVICES.forEach(service -> awaitHealthy(service, Duration.ofSeconds(300)));
        return this;
    }

    void start(String service, String... extraArgs) {
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx512m", "-jar", stableCopy(service).toString(),
                "--server.port=" + ports.get(service)));
        if (service.equals("gateway")) {
            command.add("--chuanyu.demo.credentials-file=" + credentialsFile());
        }
        if (service.equals("case-transfer-service")) {
            command.add("--chuanyu.webhooks.allow-private-targets=true");
        }
        command.addAll(List.of(extraArgs));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve(service + ".log").toFile()));
        Map<String, String> env = builder.environment();
        env.put("RABBIT_VHOST", TestInfrastructure.vhost());
        env.put("GATEWAY_PUBLIC_KEY", "file:" + work.resolve("gateway-public.pem"));
        env.put("GATEWAY_PRIVATE_KEY", "file:" + work.resolve("gateway-private.pem"));
        env.put("AUDIT_SIGNING_KEY_FILE", work.resolve("audit-log-ed25519.key").toString());
        env.put("EVIDENCE_SIGNING_KEY_FILE", work.resolve("evidence-signing-ed25519.pem").toString());
        env.put("EVIDENCE_STORE_DIR", work.resolve("evidence-store").toString());
        env.put("GATEWAY_DB_NAME", TestInfrastructure.database("sys_gateway"));
        env.put("CASE_TRANSFER_DB_NAME", TestInfrastructure.database("sys_case_transfer"));
        env.put("EVIDENCE_DB_NAME", TestInfrastructure.database("sys_evidence"));
        env.put("AUDIT_DB_NAME", TestInfrastructure.database("sys_audit"));
        env.put("GATEWAY_URL", url("gateway"));
        env.put("CASE_TRANSFER_URL", url("case-transfer-service"));
        env.put("EVIDENCE_URL", url("evidence-exchange-service"));
        env.put("AUDIT_URL", url("audit-service"));
        try {
            processes.put(service, builder.start());
        }
        catch (IOException ex) {
            throw new IllegalStateException("cannot start " + service, ex);
        }
    }

    void awaitHealthy(String service, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            Process process = processes.get(service);
            if (process != null && !process.isAlive()) {
                throw new IllegalStateException(service + " exited with " + process.exitValue() + "; see "
                        + work.resolve(service + ".log"));
            }
            try {
                TestHttp.Response health = TestHttp.get(url(service) + "/actuator/health");
                if (health.status() == 200 && health.body().contains("\"UP\"")) {
                    return;
                }
            }
            catch (RuntimeException notYet) {
                // connection refused while starting
            }
            sleep(500);
        }
        throw new IllegalStateException(service + " not healthy within " + timeout);
    }

    /** Ends the service as a crash would: no shutdown hooks, no graceful stop. */
    void kill(String service) {
        Process process = processes.remove(service);
        if (process != null) {
            process.destroyForcibly();
            waitFor(process);
        }
    }

    void stop(String service) {
        Process process = processes.remove(service);
        if (process != null) {
            process.destroy();
            waitFor(process);
        }
    }

    String url(String service) {
        return "http://localhost:" + ports.get(service);
    }

    Path credentialsFile() {
        return work.resolve("demo-credentials.json");
    }

    JsonNode credentials() {
        try {
            return JsonMapper.builder().build().readTree(Files.readString(credentialsFile()));
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** A JDBC connection to this run's database of a service ("gateway", "case_transfer", "evidence", "audit"). */
    java.sql.Connection database(String service) throws java.sql.SQLException {
        return java.sql.DriverManager.getConnection("jdbc:postgresql://localhost:5432/"
                + TestInfrastructure.database("sys_" + service), "postgres", "");
    }

    String agencyKey(String agencyId) {
        return credentials().path("agencies").path(agencyId).path("apiKey").asString();
    }

    /**
     * Asks every service to stop at once and kills what is still running after 15 s: the test JVM itself is killed
     * by Failsafe soon after the tests end, and a service left running would outlive the run.
     */
    @Override
    public void close() {
        List<Process> running = new ArrayList<>(processes.values());
        processes.clear();
        running.forEach(Process::destroy);
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(15);
        for (Process process : running) {
            try {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !process.waitFor(left, java.util.concurrent.TimeUnit.NANOSECONDS)) {
                    process.destroyForcibly();
                }
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }

    /** A copy taken once per run, so a rebuild of the module never swaps the jar under a live process. */
    private Path stableCopy(String service) {
        Path copy = work.resolve(service + ".jar");
        try {
            if (!Files.exists(copy)) {
                Files.copy(jar(service), copy);
            }
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
        return copy;
    }

    private Path jar(String service) {
        File[] jars = root.resolve(service).resolve("target").toFile()
                .listFiles((dir, name) -> name.startsWith(service + "-") && name.endsWith(".jar")
                        && !name.endsWith("-tests.jar") && !name.endsWith(".original"));
        if (jars == null || jars.length == 0) {
            throw new IllegalStateException("no packaged jar for " + service + ": run mvn package (or verify) first");
        }
        return jars[0].toPath();
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void waitFor(Process process) {
        try {
            process.waitFor();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
