package cn.chuanyu.client;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import tools.jackson.databind.JsonNode;

/**
 * Evidence packages: {@code /api/v1/evidence-packages}. Large files go up with tus (resumable, also across runs:
 * the upload's URL is kept in a small state file until the upload completes) and come down with Range (resumable
 * from a {@code .part} file), both checked against SHA-256.
 */
public final class Evidence {

    public record Item(String name, long size, String sha256, String contentType) {
    }

    public record ReceiptSummary(Instant at, String result) {
    }

    public record EvidencePackage(UUID id, String title, String state, String fromAgency, String toAgency,
            UUID caseTransferId, UUID assistanceRequestId, Instant createdAt, Instant updatedAt, Instant sealedAt,
            String manifestSha256, int itemCount, long totalBytes, List<Item> items, ReceiptSummary lastReceipt) {
    }

    /** A sealed manifest as served: {@code canonical} is the exact text that was hashed and signed. */
    public record Manifest(UUID packageId, JsonNode manifest, String canonical, String canonicalization,
            String sha256, String signatureAlgorithm, String signature, String signingKeyId,
            String signingPublicKeyPem) {
    }

    public record SigningKey(String algorithm, String keyId, String publicKeyPem) {
    }

    /** Called as bytes go up or come down; {@code total} is the file's size. */
    @FunctionalInterface
    public interface Progress {
        void update(long done, long total);

        Progress NONE = (done, total) -> { };
    }

    /** What an upload or download ended with. */
    public record Transferred(String name, long size, String sha256, long resumedFrom) {
    }

    /** The result of {@link #verifyPackage}: valid only if the seal and every item check out. */
    public record Verification(boolean valid, String manifestSha256, List<String> problems, List<ItemCheck> items) {
    }

    /** status: OK, MISSING, SIZE_MISMATCH or DIGEST_MISMATCH. */
    public record ItemCheck(String name, long size, String sha256, String status) {
    }

    /** A downloaded file whose bytes do not have the digest the server announced. */
    public static final class DigestMismatch extends IOException {
        DigestMismatch(String message) {
            super(message);
        }
    }

    private static final String BASE = "api/v1/evidence-packages";
    private static final int MAX_FAILURES_WITHOUT_PROGRESS = 8;
    private static final long PATCH_CHUNK = 64L * 1024 * 1024;

    private final Transport transport;
    private final Path stateDir;

    Evidence(Transport transport) {
        this(transport, defaultStateDir());
    }

    private Evidence(Transport transport, Path stateDir) {
        this.transport = transport;
        this.stateDir = stateDir;
    }

    /** The same API keeping unfinished uploads' URLs in {@code dir} (default: $XDG_CACHE_HOME/chuanyu/uploads). */
    public Evidence withUploadStateDir(Path dir) {
        return new Evidence(transport, dir);
    }

    static Path defaultStateDir() {
        String cache = System.getenv("XDG_CACHE_HOME");
        Path base = cache != null && !cache.isBlank() ? Path.of(cache)
                : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("chuanyu").resolve("uploads");
    }

    // ---- packages ----------------------------------------------------------------------------------------------

    /** caseTransferId and assistanceRequestId may be null. */
    public EvidencePackage create(String title, String toAgency, UUID caseTransferId, UUID assistanceRequestId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("title", title);
        body.put("toAgency", toAgency);
        body.put("caseTransferId", caseTransferId);
        body.put("assistanceRequestId", assistanceRequestId);
        body.values().removeIf(v -> v == null);
        return transport.json("POST", BASE, body, Map.of()).as(EvidencePackage.class);
    }

    public EvidencePackage get(UUID id) {
        return transport.json("GET", BASE + "/" + id, null, Map.of()).as(EvidencePackage.class);
    }

    public Page<EvidencePackage> list(String direction, Integer limit, String cursor) {
        Map<String, Object> q = new LinkedHashMap<>();
        q.put("direction", direction);
        q.put("limit", limit);
        q.put("cursor", cursor);
        return Pages.of(transport.json("GET", BASE + Transport.query(q), null, Map.of()), EvidencePackage.class);
    }

    /** Seals the package: the answer is the signed manifest. */
    public Manifest seal(UUID id) {
        return transport.json("POST", BASE + "/" + id + "/seal", null, Map.of()).as(Manifest.class);
    }

    public Manifest manifest(UUID id) {
        return transport.json("GET", BASE + "/" + id + "/manifest", null, Map.of()).as(Manifest.class);
    }

    /** Has the service re-hash its stored copies against the seal (recipient). */
    public JsonNode receipt(UUID id) {
        return transport.json("POST", BASE + "/" + id + "/receipt", null, Map.of()).json();
    }

    public JsonNode custody(UUID id) {
        return transport.json("GET", BASE + "/" + id + "/custody", null, Map.of()).json();
    }

    /** The key the platform signs manifests with today. Pin it (keep it) rather than fetching it each time. */
    public SigningKey signingKey() {
        return transport.json("GET", BASE + "/signing-key", null, Map.of()).as(SigningKey.class);
    }

    // ---- upload (tus 1.0.0 + Repr-Digest) -----------------------------------------------------------------------

    public Transferred upload(UUID packageId, Path file) {
        return upload(packageId, file, Progress.NONE);
    }

    /**
     * Uploads {@code file} as the item named like the file. After a broken connection, a timeout or a 5xx it asks
     * the service how much it holds (HEAD) and sends the rest; a later call for the same package and file (same
     * name, size and SHA-256) continues the upload an earlier run left unfinished.
     */
    public Transferred upload(UUID packageId, Path file, Progress progress) {
        try {
            long size = Files.size(file);
            String sha256 = sha256Hex(file);
            String name = file.getFileName().toString();
            String contentType = contentType(file);
            Path state = stateDir.resolve(sha256Hex((transport.gateway + "|" + packageId + "|" + name + "|" + size
                    + "|" + sha256).getBytes(StandardCharsets.UTF_8)));
            URI upload = null;
            long offset = 0;
            if (Files.exists(state)) {
                upload = URI.create(Files.readString(state).strip());
                Long held = heldOffset(upload);
                if (held == null) {
                    upload = null;
                }
                else {
                    offset = held;
                }
            }
            long resumedFrom = offset;
            if (upload == null) {
                upload = create(packageId, name, size, contentType, sha256);
                Files.createDirectories(stateDir);
                Files.writeString(state, upload.toString());
            }
            int failures = 0;
            String served = null;
            progress.update(offset, size);
            while (offset < size || size == 0) {
                long before = offset;
                try {
                    Transport.Response r = patch(upload, file, offset, Math.min(PATCH_CHUNK, size - offset), size,
                            progress);
                    if (r.status() == 204) {
                        offset = Long.parseLong(r.header("Upload-Offset"));
                        served = r.header("Repr-Digest");
                        if (size == 0) {
                            break;
                        }
                        continue;
                    }
                    if (r.status() < 500 && r.status() != 409 && r.status() != 429) {
                        Files.deleteIfExists(state);
                        throw Transport.problem(r);
                    }
                }
                catch (IOException broken) {
                    // the service keeps what arrived: ask it below
                }
                Long held = heldOffset(upload);
                if (held == null) {
                    Files.deleteIfExists(state);
                    throw new IOException("the upload " + upload + " is gone from the service; run again to restart it");
                }
                offset = held;
                failures = offset > before ? 0 : failures + 1;
                if (failures >= MAX_FAILURES_WITHOUT_PROGRESS) {
                    throw new IOException("no progress uploading " + name + " after " + failures + " attempts");
                }
                sleepQuietly(Math.min(8000, 250L << Math.min(failures, 5)));
            }
            Files.deleteIfExists(state);
            served = sha256Member(served);
            if (served != null && !served.equals(reprDigest(sha256))) {
                throw new DigestMismatch("the service reports " + served + " for " + name + ", the file is "
                        + reprDigest(sha256));
            }
            progress.update(size, size);
            return new Transferred(name, size, sha256, resumedFrom);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private URI create(UUID packageId, String name, long size, String contentType, String sha256) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Tus-Resumable", "1.0.0");
        headers.put("Upload-Length", Long.toString(size));
        headers.put("Upload-Metadata", "filename " + b64(name) + ",filetype " + b64(contentType));
        headers.put("Repr-Digest", reprDigest(sha256));
        Transport.Response r = transport.send("POST", BASE + "/" + packageId + "/uploads", headers, null);
        if (r.status() != 201) {
            throw Transport.problem(r);
        }
        return transport.uri(r.header("Location"));
    }

    /** What the service holds of the upload; null when it no longer knows it. */
    private Long heldOffset(URI upload) {
        Transport.Response r = transport.send("HEAD", upload.toString(), Map.of("Tus-Resumable", "1.0.0"), null);
        if (r.status() == 404 || r.status() == 410) {
            return null;
        }
        if (r.status() != 200) {
            throw Transport.problem(r);
        }
        return Long.parseLong(r.header("Upload-Offset"));
    }

    private Transport.Response patch(URI upload, Path file, long offset, long length, long size, Progress progress)
            throws IOException {
        HttpRequest request = transport.request("PATCH", upload, Map.of("Tus-Resumable", "1.0.0",
                        "Upload-Offset", Long.toString(offset), "Content-Type", "application/offset+octet-stream"),
                HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> {
                    try {
                        InputStream in = Files.newInputStream(file);
                        in.skipNBytes(offset);
                        return new Counting(new BoundedInput(in, length), offset, size, progress);
                    }
                    catch (IOException ex) {
                        throw new UncheckedIOException(ex);
                    }
                }), length)).build();
        try {
            HttpResponse<byte[]> r = transport.http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return new Transport.Response(r.statusCode(), r.headers(), r.body());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", ex);
        }
    }

    // ---- download (Range + digest) ------------------------------------------------------------------------------

    public Transferred download(UUID packageId, String itemName, Path target) {
        return download(packageId, itemName, target, Progress.NONE);
    }

    /**
     * Downloads an item to {@code target} through {@code target.part}: bytes a broken transfer (or an earlier run)
     * left there are kept, the rest is asked for with Range (and If-Range, so a changed item starts over). The file
     * gets its final name only once its SHA-256 is the one the service announced.
     */
    public Transferred download(UUID packageId, String itemName, Path target, Progress progress) {
        Path part = target.resolveSibling(target.getFileName() + ".part");
        Path etagFile = target.resolveSibling(target.getFileName() + ".part.etag");
        URI uri = transport.uri(BASE + "/" + packageId + "/items/" + Transport.segment(itemName));
        try {
            long resumedFrom = Files.exists(part) ? Files.size(part) : 0;
            int failures = 0;
            while (true) {
                long have = Files.exists(part) ? Files.size(part) : 0;
                String etag = Files.exists(etagFile) ? Files.readString(etagFile).strip() : null;
                Map<String, String> headers = new LinkedHashMap<>();
                if (have > 0 && etag != null) {
                    headers.put("Range", "bytes=" + have + "-");
                    headers.put("If-Range", etag);
                }
                try {
                    HttpResponse<InputStream> r = transport.http.send(
                            transport.request("GET", uri, headers, HttpRequest.BodyPublishers.noBody()).build(),
                            HttpResponse.BodyHandlers.ofInputStream());
                    int status = r.statusCode();
                    if (status == 416) {
                        // what we hold is already everything (or more): start over, the digest decides
                        r.body().close();
                        Files.deleteIfExists(part);
                        Files.deleteIfExists(etagFile);
                        continue;
                    }
                    if (status != 200 && status != 206) {
                        byte[] body = r.body().readAllBytes();
                        if ((status >= 500 || status == 429) && ++failures < MAX_FAILURES_WITHOUT_PROGRESS) {
                            sleepQuietly(retryMillis(r.headers().firstValue("Retry-After").orElse(null), failures));
                            continue;
                        }
                        throw Transport.problem(new Transport.Response(status, r.headers(), body));
                    }
                    String digest = r.headers().firstValue("Repr-Digest").orElse(null);
                    String newEtag = r.headers().firstValue("ETag").orElse(null);
                    long total = status == 206 ? totalOf(r.headers().firstValue("Content-Range").orElse(""))
                            : r.headers().firstValueAsLong("Content-Length").orElse(-1);
                    long start = status == 206 ? have : 0;
                    if (newEtag != null) {
                        Files.writeString(etagFile, newEtag);
                    }
                    try (InputStream in = r.body(); OutputStream out = Files.newOutputStream(part,
                            StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                            status == 206 ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
                        byte[] buffer = new byte[1 << 16];
                        long done = start;
                        int n;
                        while ((n = in.read(buffer)) >= 0) {
                            out.write(buffer, 0, n);
                            done += n;
                            progress.update(done, total);
                        }
                    }
                    String sha256 = sha256Hex(part);
                    String expected = sha256Member(digest) != null ? sha256Member(digest)
                            : newEtag != null ? reprDigest(newEtag.replace("\"", "")) : null;
                    if (expected != null && !expected.equals(reprDigest(sha256))) {
                        Files.deleteIfExists(part);
                        Files.deleteIfExists(etagFile);
                        throw new DigestMismatch(itemName + " came down as sha-256 " + sha256 + ", the service "
                                + "announced " + expected + "; the partial file was removed");
                    }
                    Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
                    Files.deleteIfExists(etagFile);
                    return new Transferred(itemName, Files.size(target), sha256, resumedFrom);
                }
                catch (DigestMismatch ex) {
                    throw ex;
                }
                catch (IOException broken) {
                    if (++failures >= MAX_FAILURES_WITHOUT_PROGRESS) {
                        throw broken;
                    }
                    sleepQuietly(Math.min(8000, 250L << failures));
                }
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted", ex));
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    // ---- verification ----------------------------------------------------------------------------------------

    /**
     * Checks the package's seal and the local copies: the manifest's canonical bytes hash to its {@code sha256},
     * the Ed25519 signature over them verifies under {@code pinnedPublicKeyPem} (a key you kept, not the copy the
     * manifest carries), the manifest is of this package, and each item in it is a file in {@code dir} with its
     * size and SHA-256.
     */
    public Verification verifyPackage(UUID packageId, Path dir, String pinnedPublicKeyPem) {
        return verify(manifest(packageId), packageId, dir, pinnedPublicKeyPem);
    }

    /** The checks of {@link #verifyPackage} on a manifest already fetched (offline). */
    public static Verification verify(Manifest manifest, UUID packageId, Path dir, String pinnedPublicKeyPem) {
        List<String> problems = new ArrayList<>();
        byte[] canonical = manifest.canonical().getBytes(StandardCharsets.UTF_8);
        String digest = sha256Hex(canonical);
        if (!digest.equals(manifest.sha256())) {
            problems.add("the manifest's canonical bytes hash to " + digest + ", not its sha256 " + manifest.sha256());
        }
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(publicKey(pinnedPublicKeyPem));
            verifier.update(canonical);
            if (!verifier.verify(Base64.getDecoder().decode(manifest.signature()))) {
                problems.add("the signature does not verify under the pinned key");
            }
        }
        catch (GeneralSecurityException | IllegalArgumentException ex) {
            problems.add("the signature cannot be checked: " + ex.getMessage());
        }
        JsonNode signed = Json.MAPPER.readTree(manifest.canonical());
        if (!packageId.toString().equals(signed.path("packageId").asString())) {
            problems.add("the manifest is of package " + signed.path("packageId").asString() + ", not " + packageId);
        }
        List<ItemCheck> checks = new ArrayList<>();
        Path base = dir.toAbsolutePath().normalize();
        for (JsonNode item : signed.path("items")) {
            String name = item.path("name").asString();
            long size = item.path("size").asLong();
            String sha256 = item.path("sha256").asString();
            Path file = base.resolve(name).normalize();
            String status;
            if (!file.startsWith(base) || !Files.isRegularFile(file)) {
                status = "MISSING";
            }
            else {
                try {
                    status = Files.size(file) != size ? "SIZE_MISMATCH"
                            : !sha256Hex(file).equals(sha256) ? "DIGEST_MISMATCH" : "OK";
                }
                catch (IOException ex) {
                    status = "MISSING";
                }
            }
            if (!status.equals("OK")) {
                problems.add(name + ": " + status);
            }
            checks.add(new ItemCheck(name, size, sha256, status));
        }
        return new Verification(problems.isEmpty(), manifest.sha256(), List.copyOf(problems), List.copyOf(checks));
    }

    static PublicKey publicKey(String pem) throws GeneralSecurityException {
        String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(Base64.getDecoder()
                .decode(base64)));
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    public static String sha256Hex(Path file) throws IOException {
        MessageDigest digest = sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }

    /**
     * The {@code sha-256} member of a Repr-Digest field (an RFC 8941 dictionary such as
     * {@code sha-256=:...:, sm3=:...:}), as {@code sha-256=:base64:}; null when the field has none. Other algorithms
     * are ignored, as RFC 9530 allows.
     */
    static String sha256Member(String field) {
        if (field == null) {
            return null;
        }
        for (String member : field.split(",")) {
            String trimmed = member.trim();
            if (trimmed.startsWith("sha-256=:") && trimmed.endsWith(":") && trimmed.length() > "sha-256=::".length()) {
                return trimmed;
            }
        }
        return null;
    }

    /** RFC 9530: {@code sha-256=:base64:}. */
    static String reprDigest(String sha256Hex) {
        return "sha-256=:" + Base64.getEncoder().encodeToString(HexFormat.of().parseHex(sha256Hex)) + ":";
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static String b64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    private static String contentType(Path file) {
        try {
            String probed = Files.probeContentType(file);
            return probed != null ? probed : "application/octet-stream";
        }
        catch (IOException ex) {
            return "application/octet-stream";
        }
    }

    private static long totalOf(String contentRange) {
        int slash = contentRange.lastIndexOf('/');
        try {
            return slash < 0 ? -1 : Long.parseLong(contentRange.substring(slash + 1).strip());
        }
        catch (NumberFormatException ex) {
            return -1;
        }
    }

    private static long retryMillis(String retryAfter, int failures) {
        java.time.Duration after = Transport.retryAfter(retryAfter);
        return after != null ? Math.min(after.toMillis(), 60_000) : Math.min(8000, 250L << failures);
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted", ex));
        }
    }

    /** At most {@code limit} bytes of the stream. */
    private static final class BoundedInput extends FilterInputStream {
        private long left;

        BoundedInput(InputStream in, long limit) {
            super(in);
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = super.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = super.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }
    }

    /** Reports bytes as they are read for sending. */
    private static final class Counting extends FilterInputStream {
        private long done;
        private final long total;
        private final Progress progress;

        Counting(InputStream in, long start, long total, Progress progress) {
            super(in);
            this.done = start;
            this.total = total;
            this.progress = progress;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                done += n;
                progress.update(done, total);
            }
            return n;
        }
    }
}
