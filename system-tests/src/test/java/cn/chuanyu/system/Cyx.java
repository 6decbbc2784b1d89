package cn.chuanyu.system;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The {@code cyx} command line as agencies run it: {@code bin/cyx}, a process, configured by its environment. */
final class Cyx {

    record Run(int exit, String stdout, String stderr) {
        List<String> lines() {
            return stdout.lines().filter(l -> !l.isBlank()).toList();
        }
    }

    private final Path root = Path.of("..").toAbsolutePath().normalize();
    private final String gateway;
    private final String apiKey;
    final Path configDir;

    Cyx(String gateway, String apiKey, Path configDir) {
        this.gateway = gateway;
        this.apiKey = apiKey;
        this.configDir = configDir;
    }

    ProcessBuilder builder(String... args) {
        List<String> command = new ArrayList<>(List.of("bash", root.resolve("bin/cyx").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("CYX_GATEWAY", gateway);
        builder.environment().put("CYX_API_KEY", apiKey);
        builder.environment().put("CYX_CONFIG_DIR", configDir.toString());
        builder.environment().put("PATH", Path.of(System.getProperty("java.home"), "bin") + File.pathSeparator
                + builder.environment().get("PATH"));
        return builder;
    }

    Run run(String... args) {
        return run(Duration.ofMinutes(3), args);
    }

    Run run(Duration timeout, String... args) {
        try {
            Path out = Files.createTempFile("cyx", ".out");
            Path err = Files.createTempFile("cyx", ".err");
            Process process = builder(args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
                throw new IllegalStateException("cyx " + String.join(" ", args) + " did not end within " + timeout);
            }
            Run run = new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            return run;
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }
}
