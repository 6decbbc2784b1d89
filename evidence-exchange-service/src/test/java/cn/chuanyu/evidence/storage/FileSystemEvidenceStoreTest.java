package cn.chuanyu.evidence.storage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FileSystemEvidenceStoreTest {

    @TempDir
    Path dir;

    @Test
    void objectsAreAddressedByTheirDigestAndReadOnly() throws IOException {
        FileSystemEvidenceStore store = new FileSystemEvidenceStore(dir);
        byte[] content = bytes(300_000);

        StoredObject stored = store.put(new ByteArrayInputStream(content), 1 << 20, null);

        assertThat(stored).isEqualTo(new StoredObject(Sha256.hexOf(content), content.length));
        assertThat(store.pathOf(stored.sha256())).startsWith(dir.resolve("objects/sha256/" + stored.sha256()
                .substring(0, 2)));
        assertThat(Files.readAllBytes(store.pathOf(stored.sha256()))).isEqualTo(content);
        assertThat(Files.getPosixFilePermissions(store.pathOf(stored.sha256())))
                .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("r--r-----"));
        try (InputStream in = store.open(stored.sha256(), 299_990)) {
            assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(content, 299_990, 300_000));
        }
        assertThat(store.size(stored.sha256())).isEqualTo(content.length);
        assertThat(store.size("0".repeat(64))).isEqualTo(-1);
        assertThat(dir.resolve("tmp")).isEmptyDirectory();
    }

    @Test
    void aMismatchOrAnOversizeOrABrokenBodyKeepsNothing() {
        FileSystemEvidenceStore store = new FileSystemEvidenceStore(dir);
        byte[] content = bytes(1000);

        assertThatThrownBy(() -> store.put(new ByteArrayInputStream(content), 1 << 20, "0".repeat(64)))
                .isInstanceOf(DigestMismatchException.class);
        assertThatThrownBy(() -> store.put(new ByteArrayInputStream(content), 999, null))
                .isInstanceOf(ContentTooLargeException.class);
        assertThatThrownBy(() -> store.put(breaking(content, 500), 1 << 20, null))
                .isInstanceOf(BodyReadException.class);
        assertThat(store.size(Sha256.hexOf(content))).isEqualTo(-1);
        assertThat(dir.resolve("tmp")).isEmptyDirectory();
        // Exactly the limit is fine.
        assertThat(assertDoesNotThrow(() -> store.put(new ByteArrayInputStream(content), 1000, null)).size())
                .isEqualTo(1000);
    }

    @Test
    void aPartialUploadKeepsWhatArrivedBeforeABreakAndCompletesWithTheWholeDigest() throws IOException {
        FileSystemEvidenceStore store = new FileSystemEvidenceStore(dir);
        byte[] content = bytes(1_000_000);
        UUID upload = UUID.randomUUID();
        store.createPartial(upload);

        assertThatThrownBy(() -> store.appendPartial(upload, 0, breaking(content, 400_000), content.length))
                .isInstanceOf(BodyReadException.class);
        long offset = store.partialLength(upload);
        assertThat(offset).isEqualTo(400_000);
        assertThatThrownBy(() -> store.appendPartial(upload, 0, new ByteArrayInputStream(content), 10))
                .isInstanceOf(UploadOffsetConflictException.class);
        // More than the rest of the declared length: refused, and nothing of it kept.
        assertThatThrownBy(() -> store.appendPartial(upload, offset,
                new ByteArrayInputStream(Arrays.copyOfRange(content, 400_000, 1_000_000)), 100))
                .isInstanceOf(ContentTooLargeException.class);
        assertThat(store.partialLength(upload)).isEqualTo(offset);

        long end = store.appendPartial(upload, offset, new ByteArrayInputStream(
                Arrays.copyOfRange(content, 400_000, 1_000_000)), 600_000);
        assertThat(end).isEqualTo(1_000_000);
        StoredObject stored = store.completePartial(upload, Sha256.hexOf(content));
        assertThat(stored.sha256()).isEqualTo(Sha256.hexOf(content));
        assertThat(store.partialLength(upload)).isEqualTo(-1);

        // After a restart the running digest is gone: completing re-hashes the file.
        UUID again = UUID.randomUUID();
        store.createPartial(again);
        store.appendPartial(again, 0, new ByteArrayInputStream(content), content.length);
        FileSystemEvidenceStore restarted = new FileSystemEvidenceStore(dir);
        assertThatThrownBy(() -> restarted.completePartial(again, "0".repeat(64)))
                .isInstanceOf(DigestMismatchException.class);
        assertThat(restarted.partialLength(again)).isEqualTo(-1);
    }

    private static <T> T assertDoesNotThrow(ThrowingSupplier<T> supplier) {
        try {
            return supplier.get();
        }
        catch (Exception ex) {
            throw new AssertionError(ex);
        }
    }

    interface ThrowingSupplier<T> {
        T get() throws Exception;
    }

    private static InputStream breaking(byte[] content, int after) {
        return new SequenceInputStream(new ByteArrayInputStream(content, 0, after), new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("connection reset");
            }
        });
    }

    private static byte[] bytes(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }
}
