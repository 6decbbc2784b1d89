package cn.chuanyu.evidence.storage;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

/** SHA-256 in the two spellings the API uses: lowercase hex (bodies, events) and base64 (RFC 9530 headers). */
public final class Sha256 {

    private static final HexFormat HEX = HexFormat.of();

    private Sha256() {
    }

    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    public static String hex(byte[] digest) {
        return HEX.formatHex(digest);
    }

    public static String hexOf(byte[] data) {
        return hex(newDigest().digest(data));
    }

    public static byte[] fromHex(String hex) {
        return HEX.parseHex(hex);
    }

    /** The RFC 9530 field value for a hex digest: {@code sha-256=:<base64>:}. */
    public static String reprDigest(String hex) {
        return member("sha-256", hex);
    }

    /**
     * The RFC 9530 field value for a SHA-256 and, when known, an SM3 (both hex):
     * {@code sha-256=:<base64>:, sm3=:<base64>:}. ({@code sm3} is not in the IANA Hash Algorithms for HTTP Digest
     * Fields registry; RFC 9530 lets a recipient ignore keys it does not know.)
     */
    public static String reprDigests(String sha256Hex, String sm3Hex) {
        return sm3Hex == null ? reprDigest(sha256Hex) : reprDigest(sha256Hex) + ", " + member("sm3", sm3Hex);
    }

    /** One dictionary member {@code <algorithm>=:<base64>:} for a hex digest. */
    public static String member(String algorithm, String hex) {
        return algorithm + "=:" + Base64.getEncoder().encodeToString(fromHex(hex)) + ":";
    }
}
