package cn.chuanyu.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import cn.chuanyu.kit.test.ApiDocsRules;
import cn.chuanyu.kit.test.TestHttp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The API documents as a partner integrator reads them: through the gateway ({@code /v3/api-docs/<service>} and
 * the gateway's own {@code /v3/api-docs}), written to {@code target/api-docs/}. Each follows the platform's rules
 * ({@link ApiDocsRules}) and passes Spectral's {@code spectral:oas} ruleset without an error
 * ({@code system-tests/api-lint}, installed with {@code npm ci}; report in {@code target/api-docs/spectral.txt}).
 */
class ApiDocumentsIT {

    static final Path LINT_DIR = Path.of("api-lint").toAbsolutePath();
    static final Path DOCUMENTS = Path.of("target", "api-docs").toAbsolutePath();
    static final List<String> SERVICES = List.of("case-transfer-service", "evidence-exchange-service",
            "audit-service");

    static Platform platform;
    static final Map<String, JsonNode> documents = new LinkedHashMap<>();

    @BeforeAll
    static void fetchTheDocuments() throws IOException {
        platform = Platform.shared();
        Files.createDirectories(DOCUMENTS);
        Map<String, String> urls = new LinkedHashMap<>();
        SERVICES.forEach(service -> urls.put(service, platform.url("gateway") + "/v3/api-docs/" + service));
        urls.put("gateway", platform.url("gateway") + "/v3/api-docs");
        for (Map.Entry<String, String> url : urls.entrySet()) {
            TestHttp.Response response = TestHttp.get(url.getValue());
            assertThat(response.status()).as(url.getValue() + ": " + response.body()).isEqualTo(200);
            Files.writeString(DOCUMENTS.resolve(url.getKey() + ".json"), response.body());
            documents.put(url.getKey(), response.json());
        }
    }

    @Test
    void everyDocumentThroughTheGatewayShowsTheApiNotTheInternals() {
        assertThat(documents).hasSize(SERVICES.size() + 1);
        documents.forEach(ApiDocsRules::assertFollowsTheRules);
    }

    @Test
    void everyDocumentPassesSpectralsOpenApiRulesWithoutAnError() throws Exception {
        if (!ConsoleBrowserIT.onPath("node") || !ConsoleBrowserIT.onPath("npm")) {
            // On CI a missing Node.js is a broken machine (.ci/run installs it), not a reason to skip.
            assumeTrue(System.getenv("CI") == null, "node/npm missing: apt-get install nodejs npm");
            fail("CI is set but node/npm is missing; .ci/run should have installed them");
        }
        Path log = DOCUMENTS.resolve("spectral.txt");
        Files.deleteIfExists(log);
        Path spectral = LINT_DIR.resolve("node_modules").resolve(".bin").resolve("spectral");
        if (!Files.isExecutable(spectral)) {
            int npm = run(List.of("npm", "ci", "--no-audit", "--no-fund"), log);
            assertThat(npm).as("npm ci in " + LINT_DIR + " (see " + log + ")").isZero();
        }
        Path report = DOCUMENTS.resolve("spectral.json");
        Files.deleteIfExists(report);
        List<String> command = new ArrayList<>(List.of(spectral.toString(), "lint", "--ruleset",
                LINT_DIR.resolve(".spectral.yaml").toString(), "--fail-severity", "error", "--format", "text",
                "--format", "json", "--output.json", report.toString()));
        documents.keySet().forEach(name -> command.add(DOCUMENTS.resolve(name + ".json").toString()));
        int exit = run(command, log);
        System.out.println(counts(report));
        assertThat(exit).as("spectral lint (--fail-severity error) exit code; findings in " + log).isZero();
    }

    /** Errors and warnings per document, from Spectral's JSON report. */
    private static String counts(Path report) throws IOException {
        Map<String, int[]> perDocument = new LinkedHashMap<>();
        documents.keySet().forEach(name -> perDocument.put(name + ".json", new int[2]));
        if (Files.exists(report)) {
            for (JsonNode finding : JsonMapper.builder().build().readTree(Files.readString(report))) {
                String source = Path.of(finding.path("source").asString("?")).getFileName().toString();
                int severity = finding.path("severity").asInt(-1);
                if (severity == 0 || severity == 1) {
                    perDocument.computeIfAbsent(source, s -> new int[2])[severity]++;
                }
            }
        }
        StringBuilder summary = new StringBuilder("Spectral spectral:oas findings:");
        perDocument.forEach((name, n) -> summary.append("\n  ").append(name).append(": ").append(n[0])
                .append(" errors, ").append(n[1]).append(" warnings"));
        return summary.toString();
    }

    private static int run(List<String> command, Path log) throws IOException, InterruptedException {
        long before = Files.exists(log) ? Files.size(log) : 0;
        Process process = new ProcessBuilder(command).directory(LINT_DIR.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        boolean finished = process.waitFor(5, TimeUnit.MINUTES);
        if (!finished) {
            process.destroyForcibly().waitFor();
        }
        byte[] all = Files.readAllBytes(log);
        System.out.println(new String(all, (int) before, all.length - (int) before, StandardCharsets.UTF_8));
        return finished ? process.exitValue() : -1;
    }
}
