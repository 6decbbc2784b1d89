package cn.chuanyu.evidence.storage;

/** The bytes received do not hash to the digest the client announced; nothing was kept. */
public class DigestMismatchException extends RuntimeException {

    public static final String SHA_256 = "sha-256";
    public static final String SM3 = "sm3";

    private final String algorithm;
    private final String expectedSha256;
    private final String actualSha256;
    private final long size;

    public DigestMismatchException(String expectedSha256, String actualSha256, long size) {
        this(SHA_256, expectedSha256, actualSha256, size);
    }

    /** {@code algorithm}: the RFC 9530 key that did not match, {@value #SHA_256} or {@value #SM3}; digests in hex. */
    public DigestMismatchException(String algorithm, String expectedHex, String actualHex, long size) {
        super("the " + size + " bytes received hash to " + Sha256.member(algorithm, actualHex)
                + ", not the announced " + Sha256.member(algorithm, expectedHex) + "; nothing was kept");
        this.algorithm = algorithm;
        this.expectedSha256 = expectedHex;
        this.actualSha256 = actualHex;
        this.size = size;
    }

    /** The digest algorithm that did not match; {@link #expectedSha256} and {@link #actualSha256} are of it. */
    public String algorithm() {
        return algorithm;
    }

    public String expectedSha256() {
        return expectedSha256;
    }

    public String actualSha256() {
        return actualSha256;
    }

    public long size() {
        return size;
    }
}
