package cn.chuanyu.evidence.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.UUID;

import cn.chuanyu.kit.test.OpenSsl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SM3 computed in the store's one streaming loop, for single puts and resumable uploads, as OpenSSL computes it. */
class Sm3StoreTest {

    @TempDir
    Path dir;

    @Test
    void aPutAndAResumedUploadCarryTheSm3OpenSslComputes() throws Exception {
        FileSystemEvidenceStore store = new FileSystemEvidenceStore(dir.resolve("store"), true);
        byte[] content = new byte[3 * FileSystemEvidenceStore.BUFFER + 17];
        new Random(3).nextBytes(content);
        String expected = new OpenSsl(dir).sm3Hex(content);

        StoredObject put = store.put(new ByteArrayInputStream(content), Long.MAX_VALUE, null, expected);
        assertThat(put.sm3()).isEqualTo(expected);

        UUID upload = UUID.randomUUID();
        store.createPartial(upload);
        int half = content.length / 2;
        store.appendPartial(upload, 0, new ByteArrayInputStream(Arrays.copyOf(content, half)), Long.MAX_VALUE);
        store.appendPartial(upload, half, new ByteArrayInputStream(Arrays.copyOfRange(content, half, content.length)),
                Long.MAX_VALUE);
        assertThat(store.completePartial(upload, null, expected).sm3()).isEqualTo(expected);
    }

    @Test
    void aWrongSm3IsTheSameMismatchAsAWrongSha256AndNothingIsKept() {
        FileSystemEvidenceStore store = new FileSystemEvidenceStore(dir.resolve("store"), true);
        byte[] content = "evidence".getBytes();
        String wrong = "00".repeat(32);
        assertThatThrownBy(() -> store.put(new ByteArrayInputStream(content), 1000, Sha256.hexOf(content), wrong))
                .isInstanceOfSatisfying(DigestMismatchException.class, ex -> {
                    assertThat(ex.algorithm()).isEqualTo("sm3");
                    assertThat(ex.getMessage()).contains("sm3=:");
                });
        assertThat(store.size(Sha256.hexOf(content))).isEqualTo(-1);
    }

    @Test
    void withSm3OffNoSm3IsComputed() throws Exception {
        FileSystemEvidenceStore store = new FileSystemEvidenceStore(dir.resolve("store"), false);
        assertThat(store.put(new ByteArrayInputStream("x".getBytes()), 10, null).sm3()).isNull();
    }
}
