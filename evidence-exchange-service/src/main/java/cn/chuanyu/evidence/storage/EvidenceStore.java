package cn.chuanyu.evidence.storage;

import java.io.IOException;
import java.io.InputStream;
import java.util.UUID;

/**
 * Content-addressed storage of evidence bytes. Objects are immutable and addressed by their SHA-256; they appear
 * only once complete and verified. Implementations must stream: no method may hold an object in memory.
 */
public interface EvidenceStore {

    /**
     * Streams {@code in} to a temporary object, hashing on the way, and keeps it under its digest only if it is
     * complete, at most {@code maxBytes} long and (when given) hashes to {@code expectedSha256}.
     *
     * @throws DigestMismatchException   the bytes hash to something else; nothing is kept
     * @throws ContentTooLargeException  more than {@code maxBytes} arrived; nothing is kept
     * @throws IOException               reading the input or writing failed; nothing is kept
     */
    default StoredObject put(InputStream in, long maxBytes, String expectedSha256) throws IOException {
        return put(in, maxBytes, expectedSha256, null);
    }

    /**
     * As {@link #put(InputStream, long, String)}, computing the SM3 in the same pass (constant memory) and, when
     * {@code expectedSm3} (hex) is given, also keeping the object only if it matches.
     */
    StoredObject put(InputStream in, long maxBytes, String expectedSha256, String expectedSm3) throws IOException;

    /** The stored object's size, or -1 when there is no such object. */
    long size(String sha256);

    /** Reads an object from {@code offset}; the caller closes the stream. */
    InputStream open(String sha256, long offset) throws IOException;

    // Resumable uploads: bytes received so far are kept per upload id; their count is the upload's offset.

    void createPartial(UUID uploadId) throws IOException;

    /** Bytes held for the upload, or -1 when there is no such partial upload. */
    long partialLength(UUID uploadId);

    /**
     * Appends to a partial upload, which must hold exactly {@code offset} bytes, at most {@code maxBytes} more.
     * Whatever arrived before the input failed is kept (so a client can resume after it).
     *
     * @return the new length
     * @throws UploadOffsetConflictException the partial holds another number of bytes, or is being appended to
     * @throws ContentTooLargeException      the input had more than {@code maxBytes}; nothing of it is kept
     */
    long appendPartial(UUID uploadId, long offset, InputStream in, long maxBytes) throws IOException;

    /**
     * Turns a partial upload into an object, checking the digest over all its bytes.
     *
     * @throws DigestMismatchException the bytes hash to something else; the partial upload is discarded
     */
    default StoredObject completePartial(UUID uploadId, String expectedSha256) throws IOException {
        return completePartial(uploadId, expectedSha256, null);
    }

    /** As {@link #completePartial(UUID, String)}, checking an announced SM3 (hex) as well when given. */
    StoredObject completePartial(UUID uploadId, String expectedSha256, String expectedSm3) throws IOException;

    void deletePartial(UUID uploadId);
}
