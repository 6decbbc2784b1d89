package cn.chuanyu.kit.web;

/** An {@code If-Match} that names a version other than the current one: 412. */
public class PreconditionFailedException extends RuntimeException {

    private final long currentVersion;

    public PreconditionFailedException(String message, long currentVersion) {
        super(message);
        this.currentVersion = currentVersion;
    }

    public long currentVersion() {
        return currentVersion;
    }
}
