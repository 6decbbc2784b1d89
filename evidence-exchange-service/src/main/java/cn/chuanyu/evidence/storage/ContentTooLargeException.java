package cn.chuanyu.evidence.storage;

/** More bytes arrived than allowed (the item size limit, or the length a resumable upload declared). */
public class ContentTooLargeException extends RuntimeException {

    private final long limit;

    public ContentTooLargeException(String message, long limit) {
        super(message);
        this.limit = limit;
    }

    public long limit() {
        return limit;
    }
}
