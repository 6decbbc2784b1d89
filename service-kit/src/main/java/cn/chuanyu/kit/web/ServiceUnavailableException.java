package cn.chuanyu.kit.web;

/**
 * A service this request depends on is down, slow or shedding load (timeout, open circuit): 503 naming that
 * service, with {@code Retry-After}. Nothing was changed.
 */
public class ServiceUnavailableException extends RuntimeException {

    private final String service;
    private final long retryAfterSeconds;

    public ServiceUnavailableException(String service, String message, long retryAfterSeconds, Throwable cause) {
        super(message, cause);
        this.service = service;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public String service() {
        return service;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
