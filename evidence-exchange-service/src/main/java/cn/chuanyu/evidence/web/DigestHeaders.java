package cn.chuanyu.evidence.web;

import java.util.Base64;

import cn.chuanyu.evidence.storage.Sha256;
import cn.chuanyu.kit.web.InvalidParameterException;

/**
 * RFC 9530 integrity fields on uploads: {@code Repr-Digest: sha-256=:<base64>:} (or {@code Content-Digest}, the
 * same here as bodies carry no content coding). Other algorithms in the dictionary are ignored; a malformed field or
 * a sha-256 that is not 32 bytes is a 400.
 */
public final class DigestHeaders {

    public static final String REPR_DIGEST = "Repr-Digest";
    public static final String CONTENT_DIGEST = "Content-Digest";

    private DigestHeaders() {
    }

    /**
     * The announced SHA-256 as lowercase hex, or null when the client announced none; the arguments are the values
     * of the request's {@code Repr-Digest} and {@code Content-Digest} fields (null when absent).
     */
    public static String expectedSha256(String reprDigest, String contentDigest) {
        String repr = parse(REPR_DIGEST, reprDigest);
        String content = parse(CONTENT_DIGEST, contentDigest);
        if (repr != null && content != null && !repr.equals(content)) {
            throw new InvalidParameterException(REPR_DIGEST, "Repr-Digest and Content-Digest disagree");
        }
        return repr != null ? repr : content;
    }

    static String parse(String header, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String found = null;
        for (String member : value.split(",")) {
            String entry = member.strip();
            int semicolon = entry.indexOf(';');
            if (semicolon >= 0) {
                entry = entry.substring(0, semicolon).strip();
            }
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                throw new InvalidParameterException(header, header + " must be a dictionary like sha-256=:<base64>:");
            }
            String algorithm = entry.substring(0, eq).strip();
            String bytes = entry.substring(eq + 1).strip();
            if (!"sha-256".equals(algorithm)) {
                continue;
            }
            if (bytes.length() < 2 || bytes.charAt(0) != ':' || bytes.charAt(bytes.length() - 1) != ':') {
                throw new InvalidParameterException(header, "sha-256 must be a byte sequence: sha-256=:<base64>:");
            }
            byte[] digest;
            try {
                digest = Base64.getDecoder().decode(bytes.substring(1, bytes.length() - 1));
            }
            catch (IllegalArgumentException ex) {
                throw new InvalidParameterException(header, "sha-256 is not valid base64");
            }
            if (digest.length != 32) {
                throw new InvalidParameterException(header, "sha-256 must be 32 bytes, got " + digest.length);
            }
            found = Sha256.hex(digest);
        }
        return found;
    }
}
