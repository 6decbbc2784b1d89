package cn.chuanyu.witness.cosign;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import cn.chuanyu.kit.tlog.Checkpoint;

/**
 * The latest cosigned checkpoint of each log, durably: one file per log ({@code logs/<sha-256 of the origin>.note},
 * the signed checkpoint as the log sent it), replaced whole by writing a temp file, forcing it to disk, renaming it
 * over the old one and forcing the directory. A crash leaves the old or the new checkpoint, never half of one, and
 * a cosignature is only answered after its checkpoint is on disk (the spec's "persist before responding").
 * <p>
 * Files, not a database: the state is a few hundred bytes per log, read once at start and written under the log's
 * lock, and the witness is meant to run apart from the log's infrastructure, so it gets no database account there.
 * Refused checkpoints are kept beside it ({@code refused/}): each is signed by the log, so with the cosigned one it
 * proves the log's misbehaviour to anyone.
 */
class CheckpointStore {

    /** A log's latest cosigned checkpoint: the signed note and its parsed body. */
    record Stored(String note, Checkpoint checkpoint) {
    }

    private final Path logs;
    private final Path refused;
    private final Map<String, Stored> latest = new ConcurrentHashMap<>();

    CheckpointStore(Path stateDir) {
        this.logs = stateDir.resolve("logs");
        this.refused = stateDir.resolve("refused");
        try {
            Files.createDirectories(logs);
            Files.createDirectories(refused);
            try (DirectoryStream<Path> files = Files.newDirectoryStream(logs, "*.note")) {
                for (Path file : files) {
                    String note = Files.readString(file, StandardCharsets.UTF_8);
                    Checkpoint checkpoint = Checkpoint.parse(note);
                    latest.put(checkpoint.origin(), new Stored(note, checkpoint));
                }
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException("cannot read the witness state in " + stateDir.toAbsolutePath(), ex);
        }
    }

    Optional<Stored> latest(String origin) {
        return Optional.ofNullable(latest.get(origin));
    }

    /** Records {@code note} as the latest cosigned checkpoint of its origin; durable when this returns. */
    void save(String note, Checkpoint checkpoint) {
        writeAtomically(logs.resolve(fileName(checkpoint.origin()) + ".note"), note);
        latest.put(checkpoint.origin(), new Stored(note, checkpoint));
    }

    /** Keeps a refused request with the reason and the checkpoint it contradicted, as evidence. */
    void keepRefusal(String origin, String reason, String request, String knownNote, Instant at) {
        String content = "refused at " + at + ": " + reason + "\n\n--- latest cosigned checkpoint\n"
                + (knownNote == null ? "(none)\n" : knownNote) + "\n--- refused request\n" + request;
        writeAtomically(refused.resolve(at.toEpochMilli() + "-" + fileName(origin) + "-"
                + java.util.UUID.randomUUID().toString().substring(0, 8) + ".txt"), content);
    }

    private void writeAtomically(Path target, String content) {
        try {
            Path temp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
            try {
                try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
                    channel.write(java.nio.ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)));
                    channel.force(true);
                }
                try {
                    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                }
                catch (AtomicMoveNotSupportedException ex) {
                    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            finally {
                Files.deleteIfExists(temp);
            }
            try (FileChannel dir = FileChannel.open(target.getParent(), StandardOpenOption.READ)) {
                dir.force(true); // the rename itself must survive a crash
            }
            catch (IOException ex) {
                // Some file systems cannot open a directory for sync; the file's own bytes are on disk.
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException("cannot write " + target.toAbsolutePath(), ex);
        }
    }

    private static String fileName(String origin) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(origin.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
