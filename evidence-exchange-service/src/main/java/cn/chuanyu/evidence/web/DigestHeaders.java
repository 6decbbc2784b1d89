package cn.chuanyu.evidence.web;

import java.util.Base64;

import cn.chuanyu.evidence.storage.Sha256;
import cn.chuanyu.kit.web.InvalidParameterException;

/**
 * RFC 9530 integrity fields on uploads: {@code Repr-Digest: sha-256=:<base64>:, sm3=:<base64>:} (or
 * {@code Content-Digest}, the same here as bodies carry no content coding). Both members are optional and each one
 * sent is checked. {@code sm3} (GB/T 32905) is not an IANA-registered algorithm key; this service understands it
 * beside {@code sha-256}. Other algorithms in the dictionary are ignored; a malformed field, or a sha-256 or sm3
 * that is not 32 bytes, is a 400.
 */
public final class DigestHeaders {

    public static final String REPR_DIGEST = "Repr-Digest";
    public static final String CONTENT_DIGEST = "Content-Digest";

    /** What the client announced, lowercase hex; either may be null. */
    public record Expected(String sha256, String sm3) {
    }

    private DigestHeaders() {
    }

    /**
     * The announced SHA-256 as lowercase hex, or null when the client announced none; the arguments are the values
     * of the request's {@code Repr-Digest} and {@code Content-Digest} fields (null when absent).
     */
    public static String expectedSha256(String reprDigest, String contentDigest) {
        return expected(reprDigest, contentDigest).sha256();
    }

    /** The announced SHA-256 and SM3 (each null when not announced). */
    public static Expected expected(String reprDigest, String contentDigest) {
        Expected repr = parse(REPR_DIGEST, reprDigest);
        Expected content = parse(CONTENT_DIGEST, contentDigest);
        return new Expected(agree(repr.sha256(), content.sha256()), agree(repr.sm3(), content.sm3()));
    }

    private static String agree(String repr, String content) {
        if (repr != null && content != null && !repr.equals(content)) {
            throw new InvalidParameterException(REPR_DIGEST, "Repr-Digest and Content-Digest disagree");
        }
        return repr != null ? repr : content;
    }

    static Expected parse(String header, String value) {
        if (value == null || value.isBlank()) {
            return new Expected(null, null);
        }
        String sha256 = null;
        String sm3 = null;
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
            if ("sha-256".equals(algorithm)) {
                sha256 = digest(header, algorithm, bytes);
            }
            else if ("sm3".equals(algorithm)) {
                sm3 = digest(header, algorithm, bytes);
            }
        }
        return new Expected(sha256, sm3);
    }

    /** A 32-byte digest member value {@code :<base64>:} as lowercase hex. */
    private static String digest(String header, String algorithm, String bytes) {
        if (bytes.length() < 2 || bytes.charAt(0) != ':' || bytes.charAt(bytes.length() - 1) != ':') {
            throw new InvalidParameterException(header, algorithm + " must be a byte sequence: " + algorithm
                    + "=:<base64>:");
        }
        byte[] digest;
        try {
            digest = Base64.getDecoder().decode(bytes.substring(1, bytes.length() - 1));
        }
        catch (IllegalArgumentException ex) {
            throw new InvalidParameterException(header, algorithm + " is not valid base64");
        }
        if (digest.length != 32) {
            throw new InvalidParameterException(header, algorithm + " must be 32 bytes, got " + digest.length);
        }
        return Sha256.hex(digest);
    }
}
