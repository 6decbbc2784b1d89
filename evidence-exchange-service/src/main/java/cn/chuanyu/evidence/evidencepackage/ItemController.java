package cn.chuanyu.evidence.evidencepackage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.security.MessageDigest;
import java.util.UUID;

import cn.chuanyu.contracts.Role;
import cn.chuanyu.evidence.evidencepackage.PackageService.AddedItem;
import cn.chuanyu.evidence.evidencepackage.PackageService.DownloadTarget;
import cn.chuanyu.evidence.evidencepackage.Responses.ItemResponse;
import cn.chuanyu.evidence.storage.EvidenceStore;
import cn.chuanyu.evidence.storage.Sha256;
import cn.chuanyu.evidence.storage.StoredEvidenceMismatchException;
import cn.chuanyu.evidence.web.ContentTypes;
import cn.chuanyu.evidence.web.DigestHeaders;
import cn.chuanyu.evidence.web.PathSegments;
import cn.chuanyu.evidence.web.RawBody;
import cn.chuanyu.kit.identity.Caller;
import cn.chuanyu.kit.web.ProblemJson;
import io.swagger.v3.oas.annotations.Hidden;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

/**
 * Items as raw bytes: PUT streams the request body to the store, GET streams it back (with Range). Neither holds a
 * file in memory: both move fixed 128 KiB chunks.
 */
@Tag(name = "Evidence items", description = "The files of a package as raw bytes, streamed both ways; "
        + "large files resume with tus (Resumable uploads)")
@RestController
@RequestMapping(PackageController.BASE)
class ItemController {

    static final String ITEMS = "/items/";

    private static final int CHUNK = 128 * 1024;

    private static final String FILE_NAME = "The item's name, one percent-encoded path segment, taken in Unicode "
            + "NFC: 1-255 bytes of UTF-8, not blank; no / or \\ or look-alikes of a dot or slash, no .., no control, "
            + "format (bidi, zero-width) or line-separator characters; no leading space, no trailing dot or space; "
            + "not a Windows device name (CON, NUL, COM1...); no % followed by two hex digits";
    private static final String REPR_DIGEST_IN = "Optional (RFC 9530): the SHA-256 and/or SM3 the body must have, "
            + "as sha-256=:base64:, sm3=:base64: (sm3 is not IANA-registered). A mismatch of either is a 422 and "
            + "nothing is kept. Content-Digest is accepted the same way.";
    private static final String REPR_DIGEST_OUT = "The item's SHA-256 and SM3 (RFC 9530), as sha-256=:base64:, "
            + "sm3=:base64: (sm3 absent for items stored before SM3 was computed)";

    private final PackageService service;
    private final EvidenceStore store;

    ItemController(PackageService service, EvidenceStore store) {
        this.service = service;
        this.store = store;
    }

    @Operation(operationId = "putEvidenceItem", summary = "Add or replace an item: the request body is the file",
            description = "Streams the body to the store and records its SHA-256. A name not yet in the package "
                    + "is added (201), an existing one replaced (200) while the package is OPEN. Sender only. "
                    + "Larger files, or unreliable links: use a resumable upload (`.../uploads`).",
            parameters = {
                    @Parameter(in = ParameterIn.PATH, name = "fileName", required = true,
                            description = FILE_NAME, schema = @Schema(type = "string", maxLength = 255)),
                    @Parameter(in = ParameterIn.HEADER, name = DigestHeaders.REPR_DIGEST,
                            description = REPR_DIGEST_IN, schema = @Schema(type = "string"),
                            example = "sha-256=:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=:")},
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    description = "The file's bytes, as they are. Its `Content-Type` (any media type, required) is "
                            + "stored as the item's type and sent back on download.",
                    content = @Content(mediaType = "*/*", schema = @Schema(type = "string", format = "binary"))),
            responses = {
                    @ApiResponse(responseCode = "201", description = "Added",
                            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                                    schema = @Schema(implementation = ItemResponse.class)),
                            headers = {@Header(name = "Location", description = "The item's URL",
                                    schema = @Schema(type = "string")),
                                    @Header(name = DigestHeaders.REPR_DIGEST, description = REPR_DIGEST_OUT,
                                            schema = @Schema(type = "string"))}),
                    @ApiResponse(responseCode = "200", description = "Replaced",
                            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                                    schema = @Schema(implementation = ItemResponse.class)),
                            headers = @Header(name = DigestHeaders.REPR_DIGEST, description = REPR_DIGEST_OUT,
                                    schema = @Schema(type = "string")))})
    @PutMapping("/{id}/items/{fileName}")
    ResponseEntity<ItemResponse> put(Caller caller, @PathVariable UUID id, HttpServletRequest request)
            throws IOException {
        caller.requireRole(Role.AGENCY);
        String name = ItemNames.fromPath(request.getRequestURI(), ITEMS);
        String contentType = ContentTypes.of(request.getContentType(), "Content-Type");
        DigestHeaders.Expected expected = DigestHeaders.expected(request.getHeader(DigestHeaders.REPR_DIGEST),
                request.getHeader(DigestHeaders.CONTENT_DIGEST));
        AddedItem added = service.putItem(id, caller, name, contentType, expected.sha256(), expected.sm3(),
                RawBody.of(request));
        ItemResponse body = ItemResponse.of(added.item());
        ResponseEntity.BodyBuilder response = added.replaced() ? ResponseEntity.ok()
                : ResponseEntity.created(URI.create(PackageController.BASE + "/" + id + ITEMS + PathSegments.encode(name)));
        return response.header(DigestHeaders.REPR_DIGEST, Sha256.reprDigests(body.sha256(), body.sm3())).body(body);
    }

    /**
     * Streams an item, re-hashing every stored byte on the way (for a Range too: the bytes outside it are read
     * but not sent). The last chunk is held back until the whole object is hashed, so a client never receives a
     * complete body of bytes that no longer match the seal: before the first byte is sent that is a 500 problem,
     * after it the connection is cut short (curl exits with 18, "partial file").
     */
    @Operation(operationId = "getEvidenceItem", summary = "Download an item, whole or a byte Range",
            description = "Every stored byte is hashed again on the way out; bytes that no longer match the seal are "
                    + "never delivered as a complete body (500 before the first byte, a cut connection after it). "
                    + "Both parties; each download is recorded in the chain of custody.",
            parameters = {
                    @Parameter(in = ParameterIn.PATH, name = "fileName", required = true,
                            description = FILE_NAME, schema = @Schema(type = "string", maxLength = 255)),
                    @Parameter(in = ParameterIn.HEADER, name = HttpHeaders.RANGE, description = "One byte range, "
                            + "e.g. bytes=0-1023", schema = @Schema(type = "string")),
                    @Parameter(in = ParameterIn.HEADER, name = HttpHeaders.IF_RANGE, description = "The ETag the "
                            + "client already holds part of: the Range applies only while it is current",
                            schema = @Schema(type = "string"))},
            responses = {
                    @ApiResponse(responseCode = "200", description = "The whole item",
                            content = @Content(mediaType = "*/*", schema = @Schema(type = "string", format = "binary")),
                            headers = {@Header(name = HttpHeaders.ETAG, description = "The item's SHA-256, quoted",
                                    schema = @Schema(type = "string")),
                                    @Header(name = DigestHeaders.REPR_DIGEST, description = REPR_DIGEST_OUT,
                                            schema = @Schema(type = "string")),
                                    @Header(name = HttpHeaders.ACCEPT_RANGES, schema = @Schema(type = "string")),
                                    @Header(name = HttpHeaders.CONTENT_DISPOSITION,
                                            description = "attachment, with the item's name",
                                            schema = @Schema(type = "string"))}),
                    @ApiResponse(responseCode = "206", description = "The requested Range",
                            content = @Content(mediaType = "*/*", schema = @Schema(type = "string", format = "binary")),
                            headers = {@Header(name = HttpHeaders.CONTENT_RANGE, description = "e.g. bytes 0-1023/5000",
                                    schema = @Schema(type = "string")),
                                    @Header(name = DigestHeaders.REPR_DIGEST, description = REPR_DIGEST_OUT,
                                            schema = @Schema(type = "string"))}),
                    @ApiResponse(responseCode = "416", description = "The Range is outside the item",
                            content = @Content(mediaType = ProblemJson.MEDIA_TYPE,
                                    schema = @Schema(ref = "#/components/schemas/Problem")))})
    @GetMapping("/{id}/items/{fileName}")
    void get(Caller caller, @PathVariable UUID id, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        caller.requireRole(Role.AGENCY);
        String name = ItemNames.fromPath(request.getRequestURI(), ITEMS);
        DownloadTarget target = service.downloadTarget(id, name, caller);
        EvidenceItem item = target.item();
        String etag = "\"" + item.sha256() + "\"";
        response.setHeader(HttpHeaders.ACCEPT_RANGES, "bytes");
        response.setHeader(HttpHeaders.ETAG, etag);
        // sm3 only where it was computed on upload; items stored before SM3 carry sha-256 alone.
        response.setHeader(DigestHeaders.REPR_DIGEST, Sha256.reprDigests(item.sha256(), item.sm3()));
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename*=UTF-8''" + PathSegments.encode(name));

        String ifRange = request.getHeader(HttpHeaders.IF_RANGE);
        String rangeHeader = ifRange == null || ifRange.equals(etag) ? request.getHeader(HttpHeaders.RANGE) : null;
        ByteRange range = ByteRange.parse(rangeHeader, item.size());
        boolean head = "HEAD".equals(request.getMethod());

        long storedSize = store.size(item.sha256());
        if (storedSize != item.size()) {
            if (!head) {
                service.recordDownload(target, caller, range, 0, false, PackageService.MISMATCH, null,
                        storedSize < 0 ? null : storedSize);
            }
            throw new StoredEvidenceMismatchException(name, item.sha256(), null);
        }

        response.setStatus(range.partial() ? HttpServletResponse.SC_PARTIAL_CONTENT : HttpServletResponse.SC_OK);
        if (range.partial()) {
            response.setHeader(HttpHeaders.CONTENT_RANGE, "bytes " + range.first() + "-" + range.last() + "/"
                    + item.size());
        }
        response.setContentType(item.contentType());
        response.setContentLengthLong(range.length());
        if (head) {
            return;
        }

        Outcome outcome = stream(item, range, response);
        service.recordDownload(target, caller, range, outcome.sent(), outcome.complete(), outcome.integrity(),
                outcome.actualSha256(), outcome.actualSha256() == null ? null : storedSize);
        if (PackageService.MISMATCH.equals(outcome.integrity())) {
            if (!response.isCommitted()) {
                response.reset();
            }
            throw new StoredEvidenceMismatchException(name, item.sha256(), outcome.actualSha256());
        }
    }

    /** {@code .../items/} with no name: the 400 naming fileName that any bad name gets, not a bare 404. */
    @Hidden
    @RequestMapping(path = "/{id}/items/", method = {RequestMethod.PUT, RequestMethod.GET})
    void withoutName(Caller caller, HttpServletRequest request) {
        caller.requireRole(Role.AGENCY);
        ItemNames.fromPath(request.getRequestURI(), ITEMS);
    }

    private record Outcome(long sent, boolean complete, String integrity, String actualSha256) {
    }

    private Outcome stream(EvidenceItem item, ByteRange range, HttpServletResponse response) throws IOException {
        MessageDigest digest = Sha256.newDigest();
        byte[] chunk = new byte[CHUNK];
        byte[] held = new byte[CHUNK];
        int heldLength = 0;
        long position = 0;
        long sent = 0;
        OutputStream out = response.getOutputStream();
        try (InputStream in = store.open(item.sha256(), 0)) {
            for (int n; (n = in.readNBytes(chunk, 0, CHUNK)) > 0; ) {
                digest.update(chunk, 0, n);
                long from = Math.max(position, range.first());
                long to = Math.min(position + n - 1, range.last());
                if (from <= to) {
                    if (heldLength > 0) {
                        out.write(held, 0, heldLength);
                        sent += heldLength;
                    }
                    heldLength = (int) (to - from + 1);
                    System.arraycopy(chunk, (int) (from - position), held, 0, heldLength);
                }
                position += n;
            }
            String actual = Sha256.hex(digest.digest());
            if (position != item.size() || !actual.equals(item.sha256())) {
                return new Outcome(sent, false, PackageService.MISMATCH, actual);
            }
            out.write(held, 0, heldLength);
            sent += heldLength;
            out.flush();
            return new Outcome(sent, true, PackageService.VERIFIED, actual);
        }
        catch (IOException ex) {
            if (response.isCommitted() && isClientGone(ex)) {
                // The client went away; what it got is what custody records.
                return new Outcome(sent, false, "unchecked", null);
            }
            throw ex;
        }
    }

    private static boolean isClientGone(IOException ex) {
        return ex.getClass().getName().contains("ClientAbort") || ex.getMessage() != null
                && (ex.getMessage().contains("Broken pipe") || ex.getMessage().contains("Connection reset"));
    }
}
