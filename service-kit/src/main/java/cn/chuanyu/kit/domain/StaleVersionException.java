package cn.chuanyu.kit.domain;

/** A command made against a version other than the current one (optimistic concurrency). */
public class StaleVersionException extends DomainException {

    private final long currentVersion;

    public StaleVersionException(String message, long currentVersion) {
        super(message);
        this.currentVersion = currentVersion;
    }

    public long currentVersion() {
        return currentVersion;
    }
}
