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
 * The whole platform as separate processes, started by the same launch recipe as {@code ./platform up}
 * ({@code bin/launch}), as an instance of this run's own: free ports, this run's vhost and databases.
 */
final class Platform implements AutoCloseable {

    /** As the recipe starts them: the witness before the audit service, which submits its checkpoints to it. */
    static final List<String> SERVICES = List.of("witness", "audit-service", "case-transfer-service",
            "evidence-exchange-service", "gateway");

    private static Platform shared;

    /** The instance name the launch recipe derives this run's databases from ({@code <instance>_gateway}, ...). */
    static final String INSTANCE = "cyx_test_sys_" + TestInfrastructure.RUN_ID;

    private final Path root = Path.of("..").toAbsolutePath().normalize();
    private final Path work;
    private final int portBase;
    private final Map<String, Process> processes = new LinkedHashMap<>();

    Platform() throws IOException {
        work = Path.of("target", "platform-" + TestInfrastructure.RUN_ID).toAbsolutePath();
        Files.createDirectories(work.resolve("keys"));
        // The recipe makes a gateway key only where none is: the tests sign principals with theirs.
        Files.writeString(work.resolve("keys/gateway-public.pem"),
                Ed25519Keys.toPem(TestInfrastructure.GATEWAY_KEYS.getPublic()));
        Files.writeString(work.resolve("keys/gateway-private.pem"),
                Ed25519Keys.toPem(TestInfrastructure.GATEWAY_KEYS.getPrivate()));
        portBase = freePortBase();
        for (String service : List.of("gateway", "case_transfer", "evidence", "audit")) {
            TestInfrastructure.dropAtExit(INSTANCE + "_" + service);
        }
        runToEnd(launch("stage"), Duration.ofSeconds(60));
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
        // -Dchuanyu.system.health-timeout=PT12M gives a loaded machine longer (Maven passes -D on to the tests).
        Duration timeout = Duration.parse(System.getProperty("chuanyu.system.health-timeout", "PT300S"));
        SERVICES.forEach(service -> awaitHealthy(service, timeout));
        return this;
    }

    void start(String service, String... extraArgs) {
        List<String> args = new ArrayList<>(List.of("run", service));
        args.addAll(List.of(extraArgs));
        ProcessBuilder builder = launch(args.toArray(String[]::new))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve(service + ".log").toFile()));
        try {
            processes.put(service, builder.start());
        }
        catch (IOException ex) {
            throw new IllegalStateException("cannot start " + service, ex);
        }
    }

    /** {@code bin/launch} with this run's instance; it execs the JVM, so the process is the service itself. */
    private ProcessBuilder launch(String... args) {
        List<String> command = new ArrayList<>(List.of("bash", root.resolve("bin/launch").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.put("CHUANYU_INSTANCE", INSTANCE);
        env.put("CHUANYU_VAR", work.toString());
        env.put("CHUANYU_VHOST", TestInfrastructure.vhost());
        env.put("CHUANYU_PORT_BASE", Integer.toString(portBase));
        env.put("CHUANYU_JAVA_OPTS", "-Xmx512m");
        // No class data sharing archive: its training run would make each fresh build's first start twice as long,
        // and these tests are about behaviour; the README walk starts the platform with it.
        env.put("CHUANYU_CDS", "off");
        // The JVM that runs the tests runs the services too.
        env.put("PATH", Path.of(System.getProperty("java.home"), "bin") + File.pathSeparator + env.get("PATH"));
        return builder;
    }

    private void runToEnd(ProcessBuilder builder, Duration timeout) throws IOException {
        Path log = work.resolve("launch.log");
        Process process = builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        try {
            if (!process.waitFor(timeout.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", builder.command()) + " hung; see " + log);
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", builder.command()) + " failed: " + Files.readString(log));
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
        int offset = switch (service) {
            case "gateway" -> 0;
            case "case-transfer-service" -> 1;
            case "evidence-exchange-service" -> 2;
            case "audit-service" -> 3;
            case "witness" -> 4;
            default -> throw new IllegalArgumentException(service);
        };
        return "http://localhost:" + (portBase + offset);
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

    /**
     * A JDBC connection to this run's database of a service ("gateway", "case_transfer", "evidence", "audit"), as the
     * database superuser (the services have roles of their own, made by bin/launch stage).
     */
    java.sql.Connection database(String service) throws java.sql.SQLException {
        return java.sql.DriverManager.getConnection("jdbc:postgresql://localhost:5432/"
                + INSTANCE + "_" + service, "postgres", "");
    }

    String agencyKey(String agencyId) {
        return credentials().path("agencies").path(agencyId).path("apiKey").asString();
    }

    /**
     * Asks every service to stop at once and kills what is still running after 15 s: the test JVM itself is killed
     * by Failsafe soon after the tests end, and a service left running would outlive the run. Then drops what
     * {@code bin/launch stage} made for the instance: its databases, roles and broker users.
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
        try {
            runToEnd(launch("drop"), Duration.ofSeconds(120));
        }
        catch (IOException | RuntimeException ex) {
            System.err.println("could not drop instance " + INSTANCE + ": " + ex.getMessage());
        }
    }

    /** Five consecutive free ports: the recipe puts the gateway on the base, the services and the witness above. */
    private static int freePortBase() throws IOException {
        java.util.Random random = new java.util.Random();
        for (int attempt = 0; attempt < 100; attempt++) {
            int base = 20000 + random.nextInt(30000);
            if (allFree(base, 5)) {
                return base;
            }
        }
        throw new IOException("no five consecutive free ports found");
    }

    private static boolean allFree(int base, int count) {
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int port = base; port < base + count; port++) {
                held.add(new ServerSocket(port));
            }
            return true;
        }
        catch (IOException taken) {
            return false;
        }
        finally {
            for (ServerSocket socket : held) {
                try {
                    socket.close();
                }
                catch (IOException ignored) {
                    // only a probe
                }
            }
        }
    }

    /** Waits for the process to end; one that does not end within a minute is killed, and a test never hangs. */
    private static void waitFor(Process process) {
        try {
            if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
                if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    throw new IllegalStateException("process " + process.pid() + " did not end even when killed");
                }
            }
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
