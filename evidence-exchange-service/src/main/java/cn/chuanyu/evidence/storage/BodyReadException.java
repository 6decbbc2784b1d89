package cn.chuanyu.evidence.storage;

import java.io.IOException;

/**
 * The incoming body broke off (the client went away or its connection failed), as opposed to the store failing.
 * For a resumable upload the bytes before the break are kept.
 */
public class BodyReadException extends IOException {

    private final long bytesRead;

    public BodyReadException(long bytesRead, IOException cause) {
        super("the request body broke off after " + bytesRead + " bytes: " + cause, cause);
        this.bytesRead = bytesRead;
    }

    public long bytesRead() {
        return bytesRead;
    }
}
