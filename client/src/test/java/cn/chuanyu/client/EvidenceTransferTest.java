package cn.chuanyu.client;

import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EvidenceTransferTest {

    static final UUID PACKAGE = UUID.fromString("6a1f0000-0000-4000-8000-000000000001");

    /** A tus server holding one upload; it can keep only half of a PATCH and fail, or be down. */
    static final class Tus {
        final ByteArrayOutputStream held = new ByteArrayOutputStream();
        long length = -1;
        String announcedDigest;
        final AtomicBoolean keepHalfThenFail = new AtomicBoolean();
        final AtomicBoolean down = new AtomicBoolean();
        final StubServer stub = new StubServer((ex, seen, i) -> {
            if (down.get()) {
                StubServer.respond(ex, 503, null, null);
                return;
            }
            String uploads = "/api/v1/evidence-packages/" + PACKAGE + "/uploads";
            switch (seen.method()) {
                case "POST" -> {
                    length = Long.parseLong(seen.header("Upload-Length"));
                    announcedDigest = seen.header("Repr-Digest");
                    StubServer.respond(ex, 201, null, null, "Location", uploads + "/u1", "Upload-Offset", "0");
                }
                case "HEAD" -> StubServer.respond(ex, 200, null, null, "Upload-Offset", Long.toString(held.size()));
                case "PATCH" -> {
                    long offset = Long.parseLong(seen.header("Upload-Offset"));
                    if (offset != held.size()) {
                        StubServer.respond(ex, 409, "application/problem+json", "{\"status\":409}");
                        return;
                    }
                    byte[] body = seen.body();
                    if (keepHalfThenFail.getAndSet(false)) {
                        held.write(body, 0, body.length / 2);
                        StubServer.respond(ex, 500, null, null);
                        return;
                    }
                    held.write(body, 0, body.length);
                    if (held.size() == length) {
                        StubServer.respond(ex, 204, null, null, "Upload-Offset", Long.toString(held.size()),
                                "Repr-Digest", "sha-256=:" + Base64.getEncoder().encodeToString(sha(held.toByteArray())) + ":");
                    }
                    else {
                        StubServer.respond(ex, 204, null, null, "Upload-Offset", Long.toString(held.size()));
                    }
                }
                default -> StubServer.respond(ex, 405, null, null);
            }
        });

        long count(String method) {
            return stub.seen.stream().filter(s -> s.method().equals(method)).count();
        }
    }

    static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random(42).nextBytes(bytes);
        return bytes;
    }

    static byte[] sha(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        }
        catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    @Test
    void anUploadResumesFromTheServersOffsetAfterAFailure(@TempDir Path dir) throws Exception {
        byte[] content = randomBytes(3 * 1024 * 1024 + 17);
        Path file = Files.write(dir.resolve("video.bin"), content);
        Tus tus = new Tus();
        tus.keepHalfThenFail.set(true);
        try (StubServer stub = tus.stub) {
            Evidence evidence = stub.client(RetryPolicy.none()).evidence().withUploadStateDir(dir.resolve("state"));

            Evidence.Transferred done = evidence.upload(PACKAGE, file);

            assertThat(tus.held.toByteArray()).isEqualTo(content);
            assertThat(done.sha256()).isEqualTo(HexFormat.of().formatHex(sha(content)));
            assertThat(tus.announcedDigest).isEqualTo("sha-256=:" + Base64.getEncoder().encodeToString(sha(content)) + ":");
            assertThat(tus.count("HEAD")).isEqualTo(1);
            assertThat(tus.stub.seen.stream().filter(s -> s.method().equals("PATCH")).map(s -> s.header("Upload-Offset")))
                    .containsExactly("0", Long.toString(content.length / 2));
            assertThat(dir.resolve("state")).isEmptyDirectory();
        }
    }

    @Test
    void aLaterRunContinuesTheUploadAnEarlierRunLeftUnfinished(@TempDir Path dir) throws Exception {
        byte[] content = randomBytes(2 * 1024 * 1024);
        Path file = Files.write(dir.resolve("scan.pdf"), content);
        Tus tus = new Tus();
        try (StubServer stub = tus.stub) {
            tus.keepHalfThenFail.set(true);
            // the first run: half arrives, then the service is down for the rest of the run
            Evidence first = stub.client(RetryPolicy.none()).evidence().withUploadStateDir(dir.resolve("state"));
            Thread killer = new Thread(() -> {
                while (tus.held.size() == 0) {
                    Thread.onSpinWait();
                }
                tus.down.set(true);
            });
            killer.start();
            assertThatThrownBy(() -> first.upload(PACKAGE, file)).isInstanceOf(ProblemException.ServiceUnavailable.class);
            killer.join(5000);
            long half = tus.held.size();
            assertThat(half).isEqualTo(content.length / 2);

            tus.down.set(false);
            Evidence second = stub.client(RetryPolicy.none()).evidence().withUploadStateDir(dir.resolve("state"));
            Evidence.Transferred done = second.upload(PACKAGE, file);

            assertThat(done.resumedFrom()).isEqualTo(half);
            assertThat(tus.count("POST")).isEqualTo(1);
            assertThat(tus.held.toByteArray()).isEqualTo(content);
        }
    }

    /** An item served with Range, ETag and Repr-Digest; {@code served} may differ from what the digest says. */
    static StubServer items(byte[] real, byte[] served) {
        String etag = "\"" + HexFormat.of().formatHex(sha(real)) + "\"";
        // As the service answers with the SM2/SM3 suite on: a dictionary of two digests; the client checks sha-256.
        String digest = "sha-256=:" + Base64.getEncoder().encodeToString(sha(real)) + ":, sm3=:"
                + Base64.getEncoder().encodeToString(new byte[32]) + ":";
        return new StubServer((ex, seen, i) -> {
            String range = seen.header("Range");
            ex.getResponseHeaders().add("ETag", etag);
            ex.getResponseHeaders().add("Repr-Digest", digest);
            if (range != null && etag.equals(seen.header("If-Range"))) {
                int from = Integer.parseInt(range.replace("bytes=", "").replace("-", ""));
                byte[] part = Arrays.copyOfRange(served, from, served.length);
                ex.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (served.length - 1) + "/" + served.length);
                ex.sendResponseHeaders(206, part.length);
                ex.getResponseBody().write(part);
            }
            else {
                ex.sendResponseHeaders(200, served.length);
                ex.getResponseBody().write(served);
            }
        });
    }

    @Test
    void aDownloadResumesWithRangeFromThePartFileAndChecksTheDigest(@TempDir Path dir) throws Exception {
        byte[] content = randomBytes(1024 * 1024 + 3);
        Path target = dir.resolve("got.bin");
        Files.write(dir.resolve("got.bin.part"), Arrays.copyOf(content, 400_000));
        Files.writeString(dir.resolve("got.bin.part.etag"), "\"" + HexFormat.of().formatHex(sha(content)) + "\"");
        try (StubServer stub = items(content, content)) {
            Evidence.Transferred done = stub.client(RetryPolicy.none()).evidence().download(PACKAGE, "got.bin", target);

            assertThat(stub.seen).hasSize(1);
            assertThat(stub.seen.get(0).header("Range")).isEqualTo("bytes=400000-");
            assertThat(done.resumedFrom()).isEqualTo(400_000);
            assertThat(Files.readAllBytes(target)).isEqualTo(content);
            assertThat(dir.resolve("got.bin.part")).doesNotExist();
        }
    }

    @Test
    void bytesThatDoNotMatchTheAnnouncedDigestAreNotKept(@TempDir Path dir) {
        byte[] content = randomBytes(100_000);
        byte[] corrupt = content.clone();
        corrupt[500] ^= 1;
        Path target = dir.resolve("got.bin");
        try (StubServer stub = items(content, corrupt)) {
            assertThatThrownBy(() -> stub.client(RetryPolicy.none()).evidence().download(PACKAGE, "got.bin", target))
                    .isInstanceOf(UncheckedIOException.class).hasCauseInstanceOf(Evidence.DigestMismatch.class);
            assertThat(target).doesNotExist();
            assertThat(dir.resolve("got.bin.part")).doesNotExist();
        }
    }
}
