package cn.chuanyu.evidence.storage;

/**
 * The stored bytes of an item no longer hash to (or have the size of) what was recorded. Before any byte was sent
 * this becomes a 500 problem; after, the connection is cut short so the client never sees a complete body.
 */
public class StoredEvidenceMismatchException extends RuntimeException {

    private final String item;
    private final String expectedSha256;
    private final String actualSha256;

    public StoredEvidenceMismatchException(String item, String expectedSha256, String actualSha256) {
        super("the stored bytes of item '" + item + "' do not match its recorded SHA-256 " + expectedSha256
                + (actualSha256 == null ? " (stored file missing or of another size)" : " (they hash to "
                        + actualSha256 + ")") + "; the mismatch is recorded in the chain of custody");
        this.item = item;
        this.expectedSha256 = expectedSha256;
        this.actualSha256 = actualSha256;
    }

    public String item() {
        return item;
    }

    public String expectedSha256() {
        return expectedSha256;
    }

    public String actualSha256() {
        return actualSha256;
    }
}
