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
import cn.chuanyu.evidence.evidencepackage.DigestHeaders;
import cn.chuanyu.evidence.evidencepackage.FileNames;
import cn.chuanyu.evidence.storage.Sha256;
import cn.chuanyu.evidence.web.ContentTypes;
import cn.chuanyu.evidence.web.RawBody;
import cn.chuanyu.evidence.web.TusVersionException;
import cn.chuanyu.evidence.web.UnsupportedBodyTypeException;
import cn.chuanyu.kit.identity.Caller;
import cn.chuanyu.kit.web.InvalidParameterException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
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
@RestController
@RequestMapping("/api/v1/evidence-packages/{id}/uploads")
class TusController {

    static final String VERSION = "1.0.0";
    static final String OFFSET_OCTET_STREAM = "application/offset+octet-stream";

    record UploadStatus(UUID id, String fileName, long length, long offset, boolean complete, String sha256,
            Instant createdAt) {
    }

    private final UploadService uploads;

    TusController(UploadService uploads) {
        this.uploads = uploads;
    }

    @RequestMapping(method = RequestMethod.OPTIONS, path = {"", "/{uploadId}"})
    ResponseEntity<Void> options() {
        return ResponseEntity.noContent()
                .header("Tus-Resumable", VERSION)
                .header("Tus-Version", VERSION)
                .header("Tus-Extension", "creation,termination")
                .header("Tus-Max-Size", Long.toString(uploads.maxSize()))
                .build();
    }

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
        String fileName = FileNames.validate(metadata.get("filename"));
        String contentType = ContentTypes.of(metadata.getOrDefault("filetype", metadata.get("contentType")),
                "Upload-Metadata");
        String expected = DigestHeaders.expectedSha256(request);
        Upload upload = uploads.create(id, caller, fileName, length, contentType, expected);
        return ResponseEntity.created(URI.create("/api/v1/evidence-packages/" + id + "/uploads/" + upload.id()))
                .header("Upload-Offset", "0")
                .build();
    }

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
                            + FileNames.encode(status.upload().fileName()));
        }
        return ok.build();
    }

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
