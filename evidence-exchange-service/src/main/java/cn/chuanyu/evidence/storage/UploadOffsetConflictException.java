package cn.chuanyu.evidence.storage;

/** A resumable upload's PATCH did not start where the stored bytes end (or another PATCH is still writing). */
public class UploadOffsetConflictException extends RuntimeException {

    private final long currentOffset;

    public UploadOffsetConflictException(String message, long currentOffset) {
        super(message);
        this.currentOffset = currentOffset;
    }

    public long currentOffset() {
        return currentOffset;
    }
}
