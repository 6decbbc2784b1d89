package cn.chuanyu.evidence.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

import cn.chuanyu.kit.crypto.Sm3;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The evidence store on a local (or mounted) file system:
 * <pre>
 *   &lt;dir&gt;/objects/sha256/ab/ab12...ef   complete objects, read-only, named by their digest
 *   &lt;dir&gt;/tmp/                          single-request uploads while they stream in
 *   &lt;dir&gt;/uploads/&lt;uuid&gt;.part           resumable uploads so far
 * </pre>
 * Temp files are fsynced and then renamed into place (atomic on one file system), so an object is either absent or
 * complete. Appends to one partial upload are serialised in this JVM; run one instance per store directory, or
 * route a given upload to one instance.
 */
public class FileSystemEvidenceStore implements EvidenceStore {

    private static final Logger log = LoggerFactory.getLogger(FileSystemEvidenceStore.class);

    static final int BUFFER = 128 * 1024;

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    private final Path objects;
    private final Path tmp;
    private final Path uploads;

    /** Running digests of partial uploads, so completing a large upload need not re-read it. */
    private final Map<UUID, RunningDigest> running = new ConcurrentHashMap<>();
    private final Map<UUID, ReentrantLock> locks = new ConcurrentHashMap<>();

    private record RunningDigest(MessageDigest digest, MessageDigest sm3, long length) {
    }

    /** Computes SM3 beside SHA-256 on every write (GB/T 32905); off, {@link StoredObject#sm3} is null. */
    private final boolean sm3;

    public FileSystemEvidenceStore(Path dir) {
        this(dir, false);
    }

    public FileSystemEvidenceStore(Path dir, boolean sm3) {
        this.sm3 = sm3;
        this.objects = dir.resolve("objects").resolve("sha256");
        this.tmp = dir.resolve("tmp");
        this.uploads = dir.resolve("uploads");
        try {
            Files.createDirectories(objects);
            Files.createDirectories(tmp);
            Files.createDirectories(uploads);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("cannot create the evidence store under " + dir.toAbsolutePath(), ex);
        }
        log.info("evidence store at {}", dir.toAbsolutePath());
    }

    /** Where an object lives (operators and tests look there; nothing else should). */
    public Path pathOf(String sha256) {
        if (sha256 == null || !SHA256_HEX.matcher(sha256).matches()) {
            throw new IllegalArgumentException("not a lowercase hex SHA-256: " + sha256);
        }
        return objects.resolve(sha256.substring(0, 2)).resolve(sha256);
    }

    @Override
    public StoredObject put(InputStream in, long maxBytes, String expectedSha256, String expectedSm3)
            throws IOException {
        Path temp = Files.createTempFile(tmp, "put-", ".tmp");
        boolean kept = false;
        try {
            MessageDigest digest = Sha256.newDigest();
            MessageDigest sm3 = newSm3();
            long size;
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                size = copy(in, out, digest, sm3, maxBytes);
                if (size > maxBytes || (size == maxBytes && in.read() >= 0)) {
                    throw new ContentTooLargeException("items are limited to " + maxBytes + " bytes", maxBytes);
                }
                out.force(true);
            }
            String actual = Sha256.hex(digest.digest());
            String actualSm3 = sm3 == null ? null : Sha256.hex(sm3.digest());
            check(expectedSha256, actual, expectedSm3, actualSm3, size);
            moveIntoPlace(temp, actual);
            kept = true;
            return new StoredObject(actual, size, actualSm3);
        }
        finally {
            if (!kept) {
                Files.deleteIfExists(temp);
            }
        }
    }

    @Override
    public long size(String sha256) {
        try {
            return Files.size(pathOf(sha256));
        }
        catch (NoSuchFileException ex) {
            return -1;
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    @Override
    public InputStream open(String sha256, long offset) throws IOException {
        FileChannel channel = FileChannel.open(pathOf(sha256), StandardOpenOption.READ);
        channel.position(offset);
        return Channels.newInputStream(channel);
    }

    @Override
    public void createPartial(UUID uploadId) throws IOException {
        Files.createFile(partial(uploadId));
        running.put(uploadId, new RunningDigest(Sha256.newDigest(), newSm3(), 0));
    }

    @Override
    public long partialLength(UUID uploadId) {
        try {
            return Files.size(partial(uploadId));
        }
        catch (NoSuchFileException ex) {
            return -1;
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    @Override
    public long appendPartial(UUID uploadId, long offset, InputStream in, long maxBytes) throws IOException {
        ReentrantLock lock = locks.computeIfAbsent(uploadId, id -> new ReentrantLock());
        if (!lock.tryLock()) {
            throw new UploadOffsetConflictException("another PATCH is still writing to this upload",
                    partialLength(uploadId));
        }
        try {
            Path file = partial(uploadId);
            try (FileChannel out = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
                long length = out.size();
                if (length != offset) {
                    throw new UploadOffsetConflictException("Upload-Offset " + offset + " does not match the "
                            + length + " bytes received so far", length);
                }
                RunningDigest run = running.remove(uploadId);
                MessageDigest digest = run != null && run.length() == length ? run.digest() : null;
                MessageDigest sm3 = digest == null ? null : run.sm3();
                long written = 0;
                try {
                    written = copy(in, out, digest, sm3, maxBytes);
                    if (written == maxBytes && in.read() >= 0) {
                        // Never keep bytes beyond the declared length: the upload is as it was before this PATCH.
                        out.truncate(offset);
                        written = 0;
                        digest = null;
                        throw new ContentTooLargeException("the PATCH carries more than the " + maxBytes
                                + " bytes that remain of the declared Upload-Length", maxBytes);
                    }
                }
                finally {
                    // Keep what arrived, even when the client went away mid-body: it resumes from here.
                    out.force(false);
                    long now = out.size();
                    if (digest != null && now == offset + written) {
                        running.put(uploadId, new RunningDigest(digest, sm3, now));
                    }
                }
                return offset + written;
            }
            catch (NoSuchFileException ex) {
                throw new IllegalStateException("partial upload " + uploadId + " is gone", ex);
            }
        }
        finally {
            lock.unlock();
        }
    }

    @Override
    public StoredObject completePartial(UUID uploadId, String expectedSha256, String expectedSm3)
            throws IOException {
        Path file = partial(uploadId);
        long size = Files.size(file);
        RunningDigest run = running.remove(uploadId);
        String actual;
        String actualSm3;
        if (run != null && run.length() == size) {
            actual = Sha256.hex(run.digest().digest());
            actualSm3 = run.sm3() == null ? null : Sha256.hex(run.sm3().digest());
        }
        else {
            // Restarted since (or a PATCH failed mid-write): hash what is on disk.
            MessageDigest digest = Sha256.newDigest();
            MessageDigest sm3 = newSm3();
            try (InputStream in = Files.newInputStream(file)) {
                copy(in, null, digest, sm3, Long.MAX_VALUE);
            }
            actual = Sha256.hex(digest.digest());
            actualSm3 = sm3 == null ? null : Sha256.hex(sm3.digest());
        }
        try {
            check(expectedSha256, actual, expectedSm3, actualSm3, size);
        }
        catch (DigestMismatchException ex) {
            deletePartial(uploadId);
            throw ex;
        }
        moveIntoPlace(file, actual);
        locks.remove(uploadId);
        return new StoredObject(actual, size, actualSm3);
    }

    /** Every announced digest must match; SHA-256 is checked first, so its mismatch is the one reported. */
    private static void check(String expectedSha256, String actualSha256, String expectedSm3, String actualSm3,
            long size) {
        if (expectedSha256 != null && !expectedSha256.equals(actualSha256)) {
            throw new DigestMismatchException(expectedSha256, actualSha256, size);
        }
        // With SM3 off nothing computed it: an announced sm3 is then ignored, as any algorithm this store does not use.
        if (expectedSm3 != null && actualSm3 != null && !expectedSm3.equals(actualSm3)) {
            throw new DigestMismatchException(DigestMismatchException.SM3, expectedSm3, actualSm3, size);
        }
    }

    @Override
    public void deletePartial(UUID uploadId) {
        running.remove(uploadId);
        locks.remove(uploadId);
        try {
            Files.deleteIfExists(partial(uploadId));
        }
        catch (IOException ex) {
            log.warn("could not delete partial upload {}: {}", uploadId, ex.toString());
        }
    }

    private MessageDigest newSm3() {
        return sm3 ? Sm3.newDigest() : null;
    }

    private Path partial(UUID uploadId) {
        return uploads.resolve(uploadId + ".part");
    }

    /**
     * The one streaming loop: reads in fixed chunks, hashes and writes each, stops after {@code limit} bytes.
     * Only the digests of what was written are updated, so they always match the bytes on disk. SM3 is a second
     * digest updated with the same chunk: memory stays one buffer whatever the size.
     */
    static long copy(InputStream in, FileChannel out, MessageDigest digest, MessageDigest sm3, long limit)
            throws IOException {
        byte[] buffer = new byte[BUFFER];
        long total = 0;
        while (total < limit) {
            int n;
            try {
                n = in.read(buffer, 0, (int) Math.min(buffer.length, limit - total));
            }
            catch (IOException ex) {
                throw out == null ? ex : new BodyReadException(total, ex);
            }
            if (n < 0) {
                break;
            }
            if (out != null) {
                ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
                while (chunk.hasRemaining()) {
                    out.write(chunk);
                }
            }
            if (digest != null) {
                digest.update(buffer, 0, n);
            }
            if (sm3 != null) {
                sm3.update(buffer, 0, n);
            }
            total += n;
        }
        return total;
    }

    /**
     * Renames a complete, verified file to its address. An object already there is replaced by the bytes just
     * verified (same digest), which also repairs an object that was altered on disk.
     */
    private void moveIntoPlace(Path source, String sha256) throws IOException {
        Path target = pathOf(sha256);
        Files.createDirectories(target.getParent());
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        catch (AtomicMoveNotSupportedException ex) {
            throw new IOException("the evidence store's tmp, uploads and objects must be on one file system", ex);
        }
        catch (FileAlreadyExistsException ex) {
            Files.deleteIfExists(source);
        }
        try {
            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("r--r-----"));
        }
        catch (UnsupportedOperationException ex) {
            // Not a POSIX file system: read-only is a courtesy, the digest is the guarantee.
        }
    }
}
