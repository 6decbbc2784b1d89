package cn.chuanyu.evidence.relay;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.UUID;

import cn.chuanyu.evidence.evidencepackage.ByteRange;
import cn.chuanyu.evidence.evidencepackage.EvidenceItem;
import cn.chuanyu.evidence.evidencepackage.PackageService;
import cn.chuanyu.evidence.storage.EvidenceStore;
import cn.chuanyu.evidence.storage.Sha256;
import cn.chuanyu.evidence.web.DigestHeaders;
import cn.chuanyu.kit.node.NodeIdentity;
import cn.chuanyu.kit.web.ProblemJson;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * The one resource of the link connector: an item's bytes for the peer node (the recipient's), whole or from a
 * byte Range, streamed in fixed chunks from the store. {@link LinkPathFilter} lets only the pinned peer reach it,
 * only over the link connector. The item is named by its SHA-256 (the manifest fixes it, and it needs no encoding);
 * the bytes are not re-hashed here: the destination hashes everything it receives against the manifest.
 */
@Hidden
@RestController
@ConditionalOnExpression(RelayConfiguration.TWO_REGIONS)
class LinkContentController {

    private static final int CHUNK = 128 * 1024;

    private final PackageService packages;
    private final EvidenceStore store;
    private final String peerRegion;

    LinkContentController(PackageService packages, EvidenceStore store, NodeIdentity node) {
        this.packages = packages;
        this.store = store;
        this.peerRegion = node.properties().peer().region();
    }

    @GetMapping("/link/v1/packages/{id}/items/{sha256}/content")
    void content(@PathVariable UUID id, @PathVariable String sha256, HttpServletRequest request,
            HttpServletResponse response) throws IOException {
        EvidenceItem item = packages.linkContent(id, sha256, peerRegion).orElse(null);
        if (item == null) {
            problem(request, response, HttpServletResponse.SC_NOT_FOUND, "Not Found",
                    "no sealed package " + id + " for the peer region with that item");
            return;
        }
        if (store.size(item.sha256()) != item.size()) {
            problem(request, response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "Content unavailable",
                    "the stored object does not have the item's size; try again later");
            return;
        }
        ByteRange range = ByteRange.parse(request.getHeader(HttpHeaders.RANGE), item.size());
        response.setStatus(range.partial() ? HttpServletResponse.SC_PARTIAL_CONTENT : HttpServletResponse.SC_OK);
        if (range.partial()) {
            response.setHeader(HttpHeaders.CONTENT_RANGE, "bytes " + range.first() + "-" + range.last() + "/"
                    + item.size());
        }
        response.setHeader(HttpHeaders.ACCEPT_RANGES, "bytes");
        response.setHeader(HttpHeaders.ETAG, "\"" + item.sha256() + "\"");
        response.setHeader(DigestHeaders.REPR_DIGEST, Sha256.reprDigest(item.sha256()));
        response.setContentType("application/octet-stream");
        response.setContentLengthLong(range.length());
        byte[] chunk = new byte[CHUNK];
        long remaining = range.length();
        OutputStream out = response.getOutputStream();
        try (InputStream in = store.open(item.sha256(), range.first())) {
            while (remaining > 0) {
                int n = in.read(chunk, 0, (int) Math.min(CHUNK, remaining));
                if (n < 0) {
                    throw new IOException("stored object " + item.sha256() + " ended early");
                }
                out.write(chunk, 0, n);
                remaining -= n;
            }
        }
        out.flush();
    }

    private static void problem(HttpServletRequest request, HttpServletResponse response, int status, String title,
            String detail) throws IOException {
        response.setStatus(status);
        response.setContentType(ProblemJson.MEDIA_TYPE);
        response.getWriter().write(ProblemJson.body(status, title, detail, request.getRequestURI()));
    }
}
