package cn.chuanyu.kit.test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command to its end with a timeout that can fire. The output goes to a file rather than a pipe: reading a
 * pipe to its end before {@code waitFor(timeout)} blocks for ever on a child that hangs with its output open, so
 * the timeout never gets a chance.
 */
public final class ChildProcess {

    private ChildProcess() {
    }

    /** Exit code and combined stdout and stderr of a finished command. */
    public record Result(int exit, String output) {
    }

    /**
     * Runs the command with stderr merged into stdout. A command still running after {@code timeout} is killed
     * (with its descendants) and reported as an {@link IllegalStateException} carrying what it had printed.
     */
    public static Result run(List<String> command, Duration timeout) throws IOException {
        Path output = Files.createTempFile("child-process-", ".log");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            boolean finished;
            try {
                finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                finished = false;
            }
            if (!finished) {
                kill(process);
                throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeout
                        + " and was killed; its output: " + read(output));
            }
            return new Result(process.exitValue(), read(output));
        }
        finally {
            Files.deleteIfExists(output);
        }
    }

    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private static String read(Path output) throws IOException {
        return new String(Files.readAllBytes(output), StandardCharsets.UTF_8);
    }
}
