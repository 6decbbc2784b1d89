package cn.chuanyu.kit.keys;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import cn.chuanyu.kit.test.StartTogether;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeyFilesTest {

    @TempDir
    Path dir;

    @Test
    void aKeyIsMadeOnceOwnerOnlyAndReadBackUnchanged() throws Exception {
        Path file = dir.resolve("keys/k.pem");
        String first = publicOf(file);
        assertThat(publicOf(file)).isEqualTo(first);
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        try (var left = Files.list(file.getParent())) {
            assertThat(left).as("no temp files left behind").containsExactly(file);
        }
    }

    @Test
    void threadsStartingTogetherAllGetTheKeyOnDisk() throws Exception {
        for (int round = 0; round < 30; round++) {
            Path file = dir.resolve("race-" + round + "/k.pem");
            List<String> seen = StartTogether.run(8, Duration.ofSeconds(30), i -> () -> publicOf(file)).results();
            assertThat(seen).as("round %d", round).containsOnly(publicOf(file));
        }
    }

    /** Two JVMs, as two instances of a service started by one script, each released at the same wall-clock time. */
    @Test
    void twoProcessesStartingTogetherGetTheSameKey() throws Exception {
        for (int round = 0; round < 3; round++) {
            Path file = dir.resolve("jvm-race-" + round + "/k.pem");
            long startAt = System.currentTimeMillis() + 1500;
            List<Process> processes = new ArrayList<>();
            List<Path> outputs = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                Path out = dir.resolve("out-" + round + "-" + i);
                outputs.add(out);
                processes.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp", System.getProperty("java.class.path"), LoadKey.class.getName(), file.toString(),
                        Long.toString(startAt))
                        .redirectErrorStream(true).redirectOutput(out.toFile()).start());
            }
            for (Process process : processes) {
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new AssertionError("child JVM did not finish within 60 s");
                }
                assertThat(process.exitValue()).isZero();
            }
            String onDisk = publicOf(file);
            for (Path out : outputs) {
                assertThat(Files.readString(out).strip()).as("round %d", round).isEqualTo(onDisk);
            }
        }
    }

    @Test
    void aFileWithoutThePublicHalfIsRefusedWithTheFix() throws Exception {
        String both = Files.readString(written(dir.resolve("both.pem")));
        Path file = dir.resolve("only-private.pem");
        Files.writeString(file, both.substring(0, both.indexOf("-----BEGIN PUBLIC KEY")));
        assertThatThrownBy(() -> KeyFiles.ed25519(file)).hasMessageContaining("-pubout");
    }

    @Test
    void halvesOfTwoDifferentKeysAreRefused() throws Exception {
        String a = Files.readString(written(dir.resolve("a.pem")));
        String b = Files.readString(written(dir.resolve("b.pem")));
        Path mixed = dir.resolve("mixed.pem");
        Files.writeString(mixed, a.substring(0, a.indexOf("-----BEGIN PUBLIC KEY"))
                + b.substring(b.indexOf("-----BEGIN PUBLIC KEY")));
        assertThatThrownBy(() -> KeyFiles.ed25519(mixed)).hasMessageContaining("do not belong together");
    }

    private static Path written(Path file) {
        KeyFiles.ed25519(file);
        return file;
    }

    private static String publicOf(Path file) {
        return Base64.getEncoder().encodeToString(KeyFiles.ed25519(file).getPublic().getEncoded());
    }

    /** The child JVM: waits for the agreed instant, loads or creates the key, prints its public half. */
    public static final class LoadKey {

        public static void main(String[] args) throws Exception {
            long startAt = Long.parseLong(args[1]);
            long wait = startAt - System.currentTimeMillis();
            if (wait > 0) {
                Thread.sleep(wait);
            }
            System.out.println(publicOf(Path.of(args[0])));
        }
    }
}
