package cn.chuanyu.gateway.edge;

import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/** A request body over the gateway's limit for its route: 413. */
public class BodyTooLargeException extends ResponseStatusException {

    private final long limitBytes;

    public BodyTooLargeException(long limitBytes) {
        super(HttpStatus.CONTENT_TOO_LARGE, "request body exceeds the limit of " + limitBytes + " bytes");
        this.limitBytes = limitBytes;
    }

    public long limitBytes() {
        return limitBytes;
    }
}
