package cn.chuanyu.evidence.storage;

/** The bytes received do not hash to the digest the client announced; nothing was kept. */
public class DigestMismatchException extends RuntimeException {

    private final String expectedSha256;
    private final String actualSha256;
    private final long size;

    public DigestMismatchException(String expectedSha256, String actualSha256, long size) {
        super("the " + size + " bytes received hash to " + Sha256.reprDigest(actualSha256) + ", not the announced "
                + Sha256.reprDigest(expectedSha256) + "; nothing was kept");
        this.expectedSha256 = expectedSha256;
        this.actualSha256 = actualSha256;
        this.size = size;
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
