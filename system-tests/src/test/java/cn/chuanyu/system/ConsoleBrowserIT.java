package cn.chuanyu.system;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import cn.chuanyu.contracts.Messaging;
import cn.chuanyu.kit.test.TestHttp;
import cn.chuanyu.kit.test.TestInfrastructure;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The operator console in a real browser: a poison message is dead-lettered, the console (headless Chromium driven
 * by playwright-core, {@code system-tests/browser/console-test.mjs}) shows it, the operator replays it and sees it
 * REPLAYED. Screenshot: {@code system-tests/target/console.png}.
 */
class ConsoleBrowserIT {

    static final Path BROWSER_DIR = Path.of("browser").toAbsolutePath();
    static final Path SCREENSHOT = Path.of("target", "console.png").toAbsolutePath();
    static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM_PATH", "/usr/bin/chromium"));
    static final Duration DEAD_LETTER_WAIT = Duration.ofSeconds(60);

    static Platform platform;

    @BeforeAll
    static void browserAndPlatform() {
        boolean tools = Files.isExecutable(CHROMIUM) && onPath("node") && onPath("npm");
        if (!tools) {
            // On CI a missing browser is a broken machine (.ci/run installs it), not a reason to skip.
            assumeTrue(System.getenv("CI") != null,
                    "chromium (" + CHROMIUM + ") or node/npm missing: apt-get install chromium chromium-driver nodejs npm");
            fail("CI is set but chromium (" + CHROMIUM + ") or node/npm is missing; .ci/run should have installed them");
        }
        platform = Platform.shared();
    }

    @Test
    void anOperatorSeesAPoisonMessageInTheConsoleAndReplaysIt() throws Exception {
        String operatorKey = platform.credentials().path("operator").path("apiKey").asString();
        assertThat(operatorKey).as("operator key in the demo credentials").isNotBlank();

        // A request with a known correlation id, so the trace panel has something to show.
        String correlationId = "console-it-" + UUID.randomUUID();
        TestHttp.Response created = TestHttp.postJson(platform.url("gateway") + "/api/v1/case-transfers", """
                {"caseNumber": "(2026)川01刑初900号", "title": "控制台测试", "caseType": "CRIMINAL",
                 "toAgency": "cq-first-intermediate-court", "reason": "控制台端到端测试"}""",
                "Authorization", "Bearer " + platform.agencyKey(ExchangePathIT.SENDER),
                "X-Correlation-Id", correlationId);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        correlationId = created.header("X-Correlation-Id");
        assertThat(correlationId).isNotBlank();

        // The poison: not JSON at all, and markup the console must show as text.
        String marker = "console-it-poison-" + UUID.randomUUID();
        publishPoison("<img src=x onerror=\"window.__xss=1\"> not json " + marker, marker);
        String deadLetterId = awaitDeadLetter(operatorKey, marker);

        int exit = runBrowser(platform.url("gateway"), operatorKey, deadLetterId, correlationId);
        assertThat(SCREENSHOT).as("screenshot").exists();
        assertThat(exit).as("console-test.mjs exit code (output above and in target/console-test.log)").isZero();

        // The replayed poison is still poison, so it comes back as a new dead letter: check the one replayed.
        JsonNode after = findDeadLetter(operatorKey, deadLetterId);
        assertThat(after).as("dead letter " + deadLetterId + " after the replay").isNotNull();
        assertThat(after.path("state").asString()).isEqualTo("REPLAYED");
    }

    private static void publishPoison(String body, String marker) throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("localhost");
        factory.setPort(5672);
        factory.setUsername("guest");
        factory.setPassword("guest");
        factory.setVirtualHost(TestInfrastructure.vhost());
        try (Connection connection = factory.newConnection("console-browser-it");
                Channel channel = connection.createChannel()) {
            channel.confirmSelect();
            AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                    .messageId(marker)
                    .contentType("application/json")
                    .deliveryMode(2)
                    .build();
            channel.basicPublish(Messaging.EVENTS_EXCHANGE, "case-transfer.submitted", true, properties,
                    body.getBytes(StandardCharsets.UTF_8));
            channel.waitForConfirmsOrDie(10_000);
        }
    }

    /** Polls the operator API until the poison message shows up as a PENDING dead letter. */
    private static String awaitDeadLetter(String operatorKey, String marker) {
        Instant deadline = Instant.now().plus(DEAD_LETTER_WAIT);
        String lastAnswer = "no answer yet";
        while (Instant.now().isBefore(deadline)) {
            try {
                JsonNode found = findDeadLetter(operatorKey, marker);
                if (found != null && "PENDING".equals(found.path("state").asString())) {
                    return found.path("id").asString();
                }
                lastAnswer = found == null ? "not listed yet" : found.toString();
            }
            catch (RuntimeException notYet) {
                lastAnswer = notYet.getMessage();
            }
            Platform.sleep(1000);
        }
        throw new AssertionError("the poison message was not listed as a PENDING dead letter within "
                + DEAD_LETTER_WAIT + " (GET /api/v1/ops/dead-letters: " + lastAnswer + ")");
    }

    private static JsonNode findDeadLetter(String operatorKey, String marker) {
        String cursor = null;
        for (int page = 0; page < 20; page++) {
            String url = platform.url("gateway") + "/api/v1/ops/dead-letters?limit=100"
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            TestHttp.Response response = TestHttp.get(url, "Authorization", "Bearer " + operatorKey);
            if (response.status() != 200) {
                throw new IllegalStateException(response.status() + " " + response.body());
            }
            JsonNode body = response.json();
            for (JsonNode item : body.path("items")) {
                // An id names exactly one dead letter; a marker may be inside several (a replayed poison returns).
                boolean byId = marker.equals(item.path("id").asString(""));
                if (byId || (!marker.matches("[0-9a-f-]{36}") && (marker.equals(item.path("eventId").asString(""))
                        || item.toString().contains(marker)))) {
                    return item;
                }
            }
            JsonNode next = body.path("nextCursor");
            if (next.isMissingNode() || next.isNull() || next.asString("").isEmpty()) {
                return null;
            }
            cursor = next.asString();
        }
        return null;
    }

    private static int runBrowser(String gatewayUrl, String operatorKey, String deadLetterId, String correlationId)
            throws IOException, InterruptedException {
        Files.createDirectories(SCREENSHOT.getParent());
        Files.deleteIfExists(SCREENSHOT);
        Path log = SCREENSHOT.resolveSibling("console-test.log");
        Files.deleteIfExists(log);
        if (!Files.isDirectory(BROWSER_DIR.resolve("node_modules").resolve("playwright-core"))) {
            int npm = run(List.of("npm", "ci", "--no-audit", "--no-fund"), log, Duration.ofMinutes(5), operatorKey);
            assertThat(npm).as("npm ci in " + BROWSER_DIR + " (see " + log + ")").isZero();
        }
        List<String> command = new ArrayList<>(List.of("node", "console-test.mjs", gatewayUrl, operatorKey,
                SCREENSHOT.toString(), deadLetterId, correlationId));
        return run(command, log, Duration.ofMinutes(4), operatorKey);
    }

    private static int run(List<String> command, Path log, Duration timeout, String secret)
            throws IOException, InterruptedException {
        long before = Files.exists(log) ? Files.size(log) : 0;
        ProcessBuilder builder = new ProcessBuilder(command).directory(BROWSER_DIR.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("CHROMIUM_PATH", CHROMIUM.toString());
        Process process = builder.start();
        boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!finished) {
            process.destroyForcibly().waitFor();
        }
        // Playwright's call logs repeat what was typed: keep the operator key out of the build output.
        byte[] all = Files.readAllBytes(log);
        String output = new String(all, (int) before, all.length - (int) before, StandardCharsets.UTF_8);
        System.out.println(output.replace(secret, "<operator key>"));
        return finished ? process.exitValue() : -1;
    }

    static boolean onPath(String program) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
