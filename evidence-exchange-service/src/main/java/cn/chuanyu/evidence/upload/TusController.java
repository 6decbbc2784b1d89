package cn.chuanyu.evidence.upload;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import cn.chuanyu.contracts.Role;
import cn.chuanyu.evidence.evidencepackage.FileNames;
import cn.chuanyu.evidence.evidencepackage.ItemNames;
import cn.chuanyu.evidence.storage.Sha256;
import cn.chuanyu.evidence.web.ContentTypes;
import cn.chuanyu.evidence.web.DigestHeaders;
import cn.chuanyu.evidence.web.PathSegments;
import cn.chuanyu.evidence.web.RawBody;
import cn.chuanyu.evidence.web.TusVersionException;
import cn.chuanyu.evidence.web.UnsupportedBodyTypeException;
import cn.chuanyu.kit.identity.Caller;
import cn.chuanyu.kit.web.InvalidParameterException;
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
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

/**
 * tus 1.0.0 (core, creation, termination) under {@code /api/v1/evidence-packages/{id}/uploads}:
 * <ul>
 * <li>{@code POST} with {@code Upload-Length} and {@code Upload-Metadata: filename <base64>[,filetype <base64>]}
 * (optionally {@code Repr-Digest} of the whole file) → 201 with the upload's {@code Location};</li>
 * <li>{@code HEAD} on it → {@code Upload-Offset}: how many bytes the service holds;</li>
 * <li>{@code PATCH} with {@code Content-Type: application/offset+octet-stream} and {@code Upload-Offset} equal to
 * that → 204 with the new offset; bytes that arrived before a connection broke are kept. The PATCH that brings the
 * last byte checks the digest over the whole file and adds the item (422 and nothing kept on a mismatch);</li>
 * <li>{@code DELETE} → the upload and its bytes are discarded.</li>
 * </ul>
 * A missing {@code Tus-Resumable} is tolerated (for curl users); another version than 1.0.0 is a 412.
 */
@Tag(name = "Resumable uploads (tus)", description = "tus 1.0.0 (core, creation, termination) for large evidence "
        + "files: create an upload, send its bytes in PATCHes, ask how many arrived after a broken connection, go on "
        + "from there. The last byte adds the item to the package. A missing Tus-Resumable is tolerated; another "
        + "version than 1.0.0 is a 412.")
@RestController
@RequestMapping("/api/v1/evidence-packages/{id}/uploads")
class TusController {

    static final String VERSION = "1.0.0";
    static final String OFFSET_OCTET_STREAM = "application/offset+octet-stream";

    private static final String TUS_RESUMABLE = "The tus version the client speaks: 1.0.0 (optional here; "
            + "any other version is a 412)";
    private static final String TUS_RESUMABLE_OUT = "The tus version of this server: 1.0.0";
    private static final String UPLOAD_OFFSET_OUT = "How many bytes of the upload the service holds";
    private static final String REPR_DIGEST_OUT = "The whole file's SHA-256 (RFC 9530), as sha-256=:base64:";

    record UploadStatus(UUID id, String fileName, long length, long offset, boolean complete, String sha256,
            Instant createdAt) {
    }

    private final UploadService uploads;

    TusController(UploadService uploads) {
        this.uploads = uploads;
    }

    @Operation(operationId = "getTusCapabilities", summary = "What this tus server supports",
            description = "Tus-Version, Tus-Extension and Tus-Max-Size (bytes); needs no tus headers.",
            parameters = @Parameter(in = ParameterIn.PATH, name = "id", required = true,
                    description = "The evidence package", schema = @Schema(type = "string", format = "uuid")),
            responses = @ApiResponse(responseCode = "204", description = "The server's tus capabilities",
                    headers = {@Header(name = "Tus-Resumable", description = TUS_RESUMABLE_OUT,
                            schema = @Schema(type = "string")),
                            @Header(name = "Tus-Version", description = "The tus versions supported",
                                    schema = @Schema(type = "string")),
                            @Header(name = "Tus-Extension", description = "The tus extensions supported: "
                                    + "creation,termination", schema = @Schema(type = "string")),
                            @Header(name = "Tus-Max-Size", description = "The largest upload accepted, in bytes",
                                    schema = @Schema(type = "integer", format = "int64"))}))
    @RequestMapping(method = RequestMethod.OPTIONS)
    ResponseEntity<Void> options() {
        return capabilities();
    }

    @Operation(operationId = "getTusUploadCapabilities", summary = "What this tus server supports (at an upload's URL)",
            description = "The same answer as OPTIONS on the uploads collection.",
            parameters = {
                    @Parameter(in = ParameterIn.PATH, name = "id", required = true,
                            description = "The evidence package", schema = @Schema(type = "string", format = "uuid")),
                    @Parameter(in = ParameterIn.PATH, name = "uploadId", required = true,
                            description = "The upload", schema = @Schema(type = "string", format = "uuid"))},
            responses = @ApiResponse(responseCode = "204", description = "The server's tus capabilities",
                    headers = {@Header(name = "Tus-Resumable", description = TUS_RESUMABLE_OUT,
                            schema = @Schema(type = "string")),
                            @Header(name = "Tus-Version", description = "The tus versions supported",
                                    schema = @Schema(type = "string")),
                            @Header(name = "Tus-Extension", description = "The tus extensions supported: "
                                    + "creation,termination", schema = @Schema(type = "string")),
                            @Header(name = "Tus-Max-Size", description = "The largest upload accepted, in bytes",
                                    schema = @Schema(type = "integer", format = "int64"))}))
    @RequestMapping(method = RequestMethod.OPTIONS, path = "/{uploadId}")
    ResponseEntity<Void> uploadOptions() {
        return capabilities();
    }

    private ResponseEntity<Void> capabilities() {
        return ResponseEntity.noContent()
                .header("Tus-Resumable", VERSION)
                .header("Tus-Version", VERSION)
                .header("Tus-Extension", "creation,termination")
                .header("Tus-Max-Size", Long.toString(uploads.maxSize()))
                .build();
    }

    @Operation(operationId = "createTusUpload", summary = "Start a resumable upload of one item (tus creation)",
            description = "Announces the file: its length, name and type, and optionally its SHA-256. The answer's "
                    + "Location is the upload's URL for HEAD, PATCH and DELETE. Sender of an OPEN package only.",
            parameters = {
                    @Parameter(in = ParameterIn.HEADER, name = "Tus-Resumable", description = TUS_RESUMABLE,
                            schema = @Schema(type = "string"), example = VERSION),
                    @Parameter(in = ParameterIn.HEADER, name = "Upload-Length", required = true,
                            description = "The file's size in bytes (deferred lengths are not supported)",
                            schema = @Schema(type = "integer", format = "int64", minimum = "0")),
                    @Parameter(in = ParameterIn.HEADER, name = "Upload-Metadata", required = true,
                            description = "Comma-separated key and base64 value pairs: filename (required, the "
                                    + "item's name) and filetype (its media type)",
                            schema = @Schema(type = "string"), example = "filename ZXhoaWJpdC5wZGY=,filetype "
                                    + "YXBwbGljYXRpb24vcGRm"),
                    @Parameter(in = ParameterIn.HEADER, name = DigestHeaders.REPR_DIGEST,
                            description = "Optional (RFC 9530): the SHA-256 the whole file must have, as "
                                    + "sha-256=:base64:, checked when the last byte arrives (422 and nothing kept "
                                    + "on a mismatch)", schema = @Schema(type = "string"))},
            responses = @ApiResponse(responseCode = "201", description = "Upload created",
                    headers = {@Header(name = "Location", description = "The upload's URL",
                            schema = @Schema(type = "string")),
                            @Header(name = "Upload-Offset", description = "0", schema = @Schema(type = "integer",
                                    format = "int64")),
                            @Header(name = "Tus-Resumable", description = TUS_RESUMABLE_OUT,
                                    schema = @Schema(type = "string"))}))
    @PostMapping
    ResponseEntity<Void> create(Caller caller, @PathVariable UUID id, HttpServletRequest request,
            HttpServletResponse response) throws IOException {
        caller.requireRole(Role.AGENCY);
        tus(request, response);
        if (request.getHeader("Upload-Defer-Length") != null) {
            throw new InvalidParameterException("Upload-Defer-Length", "deferred lengths are not supported");
        }
        long length = headerLong(request, "Upload-Length");
        Map<String, String> metadata = metadata(request.getHeader("Upload-Metadata"));
        String fileName = ItemNames.of(metadata.get("filename"));
        String contentType = ContentTypes.of(metadata.getOrDefault("filetype", metadata.get("contentType")),
                "Upload-Metadata");
        String expected = DigestHeaders.expectedSha256(request.getHeader(DigestHeaders.REPR_DIGEST),
                request.getHeader(DigestHeaders.CONTENT_DIGEST));
        Upload upload = uploads.create(id, caller, fileName, length, contentType, expected);
        return ResponseEntity.created(URI.create("/api/v1/evidence-packages/" + id + "/uploads/" + upload.id()))
                .header("Upload-Offset", "0")
                .build();
    }

    @Operation(operationId = "getTusUploadOffset", summary = "How many bytes of an upload the service holds",
            description = "After a broken connection, send the rest from Upload-Offset on.",
            parameters = @Parameter(in = ParameterIn.HEADER, name = "Tus-Resumable", description = TUS_RESUMABLE,
                    schema = @Schema(type = "string"), example = VERSION),
            responses = @ApiResponse(responseCode = "200", description = "The upload's progress",
                    headers = {@Header(name = "Upload-Offset", description = UPLOAD_OFFSET_OUT,
                            schema = @Schema(type = "integer", format = "int64")),
                            @Header(name = "Upload-Length", description = "The file's size in bytes",
                                    schema = @Schema(type = "integer", format = "int64")),
                            @Header(name = "Upload-Metadata", description = "filename and filetype, base64",
                                    schema = @Schema(type = "string")),
                            @Header(name = "Tus-Resumable", description = TUS_RESUMABLE_OUT,
                                    schema = @Schema(type = "string"))}))
    @RequestMapping(method = RequestMethod.HEAD, path = "/{uploadId}")
    ResponseEntity<Void> head(Caller caller, @PathVariable UUID id, @PathVariable UUID uploadId,
            HttpServletRequest request, HttpServletResponse response) {
        caller.requireRole(Role.AGENCY);
        tus(request, response);
        UploadService.Status status = uploads.status(id, uploadId, caller);
        return ResponseEntity.ok()
                .header("Upload-Offset", Long.toString(status.offset()))
                .header("Upload-Length", Long.toString(status.upload().length()))
                .header("Upload-Metadata", "filename " + b64(status.upload().fileName()) + ",filetype "
                        + b64(status.upload().contentType()))
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .build();
    }

    /** The same as HEAD, as JSON, for people with curl. */
    @Operation(operationId = "getTusUpload", summary = "An upload's progress as JSON",
            description = "What HEAD says, for people with curl: length, offset, whether it is complete and, once "
                    + "it is, the file's SHA-256.",
            responses = @ApiResponse(responseCode = "200", description = "The upload's progress",
                    content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                            schema = @Schema(implementation = UploadStatus.class)),
                    headers = @Header(name = "Upload-Offset", description = UPLOAD_OFFSET_OUT,
                            schema = @Schema(type = "integer", format = "int64"))))
    @GetMapping("/{uploadId}")
    ResponseEntity<UploadStatus> get(Caller caller, @PathVariable UUID id, @PathVariable UUID uploadId,
            HttpServletRequest request, HttpServletResponse response) {
        caller.requireRole(Role.AGENCY);
        tus(request, response);
        UploadService.Status status = uploads.status(id, uploadId, caller);
        Upload u = status.upload();
        return ResponseEntity.ok()
                .header("Upload-Offset", Long.toString(status.offset()))
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .body(new UploadStatus(u.id(), u.fileName(), u.length(), status.offset(), u.completed(), u.sha256(),
                        u.createdAt()));
    }

    @Operation(operationId = "appendTusUpload", summary = "Send the next bytes of an upload",
            description = "Upload-Offset must equal what the service holds (409 otherwise: ask with HEAD). Bytes "
                    + "that arrived before a connection broke are kept. The PATCH that brings the last byte checks "
                    + "the announced digest and adds the item to the package.",
            parameters = {
                    @Parameter(in = ParameterIn.HEADER, name = "Tus-Resumable", description = TUS_RESUMABLE,
                            schema = @Schema(type = "string"), example = VERSION),
                    @Parameter(in = ParameterIn.HEADER, name = "Upload-Offset", required = true,
                            description = "Where these bytes start: the offset the service holds",
                            schema = @Schema(type = "integer", format = "int64", minimum = "0"))},
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    description = "The next bytes of the file",
                    content = @Content(mediaType = OFFSET_OCTET_STREAM,
                            schema = @Schema(type = "string", format = "binary"))),
            responses = @ApiResponse(responseCode = "204", description = "Bytes stored",
                    headers = {@Header(name = "Upload-Offset", description = UPLOAD_OFFSET_OUT,
                            schema = @Schema(type = "integer", format = "int64")),
                            @Header(name = DigestHeaders.REPR_DIGEST, description = REPR_DIGEST_OUT
                                    + " (once complete)", schema = @Schema(type = "string")),
                            @Header(name = "Content-Location", description = "The item's URL (once complete)",
                                    schema = @Schema(type = "string")),
                            @Header(name = "Tus-Resumable", description = TUS_RESUMABLE_OUT,
                                    schema = @Schema(type = "string"))}))
    @PatchMapping("/{uploadId}")
    ResponseEntity<Void> patch(Caller caller, @PathVariable UUID id, @PathVariable UUID uploadId,
            HttpServletRequest request, HttpServletResponse response) throws IOException {
        caller.requireRole(Role.AGENCY);
        tus(request, response);
        String type = request.getContentType();
        if (type == null || !type.strip().toLowerCase().startsWith(OFFSET_OCTET_STREAM)) {
            throw new UnsupportedBodyTypeException("a PATCH body must be sent as " + OFFSET_OCTET_STREAM);
        }
        long offset = headerLong(request, "Upload-Offset");
        UploadService.Status status = uploads.append(id, uploadId, caller, offset, RawBody.of(request));
        ResponseEntity.HeadersBuilder<?> ok = ResponseEntity.noContent()
                .header("Upload-Offset", Long.toString(status.offset()));
        if (status.upload().completed()) {
            ok.header(DigestHeaders.REPR_DIGEST, Sha256.reprDigest(status.upload().sha256()))
                    .header(HttpHeaders.CONTENT_LOCATION, "/api/v1/evidence-packages/" + id + "/items/"
                            + PathSegments.encode(status.upload().fileName()));
        }
        return ok.build();
    }

    @Operation(operationId = "deleteTusUpload", summary = "Discard an upload and its bytes (tus termination)",
            description = "Drops the upload and whatever bytes of it the service holds. An item that a finished "
                    + "upload added stays in the package.",
            parameters = @Parameter(in = ParameterIn.HEADER, name = "Tus-Resumable", description = TUS_RESUMABLE,
                    schema = @Schema(type = "string"), example = VERSION),
            responses = @ApiResponse(responseCode = "204", description = "Discarded",
                    headers = @Header(name = "Tus-Resumable", description = TUS_RESUMABLE_OUT,
                            schema = @Schema(type = "string"))))
    @DeleteMapping("/{uploadId}")
    ResponseEntity<Void> terminate(Caller caller, @PathVariable UUID id, @PathVariable UUID uploadId,
            HttpServletRequest request, HttpServletResponse response) {
        caller.requireRole(Role.AGENCY);
        tus(request, response);
        uploads.terminate(id, uploadId, caller);
        return ResponseEntity.noContent().build();
    }

    /** Every tus response says its version, errors included. */
    private static void tus(HttpServletRequest request, HttpServletResponse response) {
        response.setHeader("Tus-Resumable", VERSION);
        String requested = request.getHeader("Tus-Resumable");
        if (requested != null && !VERSION.equals(requested.strip())) {
            throw new TusVersionException(requested);
        }
    }

    private static long headerLong(HttpServletRequest request, String name) {
        String value = request.getHeader(name);
        if (value == null) {
            throw new InvalidParameterException(name, name + " is required");
        }
        try {
            long parsed = Long.parseLong(value.strip());
            if (parsed < 0) {
                throw new NumberFormatException();
            }
            return parsed;
        }
        catch (NumberFormatException ex) {
            throw new InvalidParameterException(name, name + " must be a non-negative integer");
        }
    }

    /** {@code key base64value,key2 base64value2}; values may be absent. */
    static Map<String, String> metadata(String header) {
        Map<String, String> values = new HashMap<>();
        if (header == null || header.isBlank()) {
            throw new InvalidParameterException(FileNames.FIELD, "Upload-Metadata must name the file: filename <base64>");
        }
        for (String pair : header.split(",")) {
            String[] kv = pair.strip().split(" ", 2);
            if (kv[0].isEmpty() || values.containsKey(kv[0])) {
                throw new InvalidParameterException("Upload-Metadata", "keys must be non-empty and unique");
            }
            try {
                values.put(kv[0], kv.length < 2 ? "" : new String(Base64.getDecoder().decode(kv[1].strip()),
                        StandardCharsets.UTF_8));
            }
            catch (IllegalArgumentException ex) {
                throw new InvalidParameterException("Upload-Metadata", "the value of '" + kv[0] + "' is not base64");
            }
        }
        return values;
    }

    private static String b64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }
}
