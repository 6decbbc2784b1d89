package cn.chuanyu.evidence.signing;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import java.time.Duration;

import cn.chuanyu.kit.test.StartTogether;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EvidenceSigningKeyTest {

    @TempDir
    Path dir;

    @Test
    void theKeyIsMadeOnceOwnerOnlyAndReadBackUnchanged() throws Exception {
        Path file = dir.resolve("keys/evidence-signing-ed25519.pem");
        EvidenceSigningKey first = EvidenceSigningKey.loadOrCreate(file);
        byte[] data = "manifest".getBytes(StandardCharsets.UTF_8);

        EvidenceSigningKey again = EvidenceSigningKey.loadOrCreate(file);

        assertThat(again.keyId()).isEqualTo(first.keyId()).hasSize(16);
        assertThat(again.verify(data, first.sign(data))).isTrue();
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readString(file)).contains("BEGIN PRIVATE KEY").contains("BEGIN PUBLIC KEY");
    }

    @Test
    void instancesStartingTogetherAllUseTheOneKeyThatWasWritten() throws Exception {
        for (int round = 0; round < 20; round++) {
            Path file = dir.resolve("race-" + round + "/evidence-signing-ed25519.pem");
            var keyIds = StartTogether.run(8, Duration.ofSeconds(30),
                    i -> () -> EvidenceSigningKey.loadOrCreate(file).keyId()).results();
            String onDisk = EvidenceSigningKey.loadOrCreate(file).keyId();
            assertThat(keyIds).as("round %d", round).containsOnly(onDisk);
        }
    }

    @Test
    void aFileWithoutThePublicHalfIsRefusedWithTheFix() throws Exception {
        Path file = dir.resolve("only-private.pem");
        String both = Files.readString(writeKey(dir.resolve("both.pem")));
        Files.writeString(file, both.substring(0, both.indexOf("-----BEGIN PUBLIC KEY")));
        assertThatThrownBy(() -> EvidenceSigningKey.loadOrCreate(file)).hasMessageContaining("-pubout");
    }

    private static Path writeKey(Path file) {
        EvidenceSigningKey.loadOrCreate(file);
        return file;
    }
}
