package cn.chuanyu.client;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An RFC 9457 problem the platform answered with (or, for a response that was not problem+json, one made from its
 * status). Every field error the problem named is in {@link #errors()}; the other members are in
 * {@link #properties()}. Catch a subclass for one kind of failure, or this class for all.
 */
public class ProblemException extends RuntimeException {

    /** One entry of the problem's {@code errors[]}: the field (or parameter, or header) and what is wrong with it. */
    public record FieldError(String field, String message) {
    }

    private final int status;
    private final URI type;
    private final String title;
    private final String detail;
    private final String instance;
    private final List<FieldError> errors;
    private final Map<String, Object> properties;
    private final Duration retryAfter;

    ProblemException(int status, URI type, String title, String detail, String instance, List<FieldError> errors,
            Map<String, Object> properties, Duration retryAfter) {
        super(status + " " + (title == null ? "" : title) + (detail == null ? "" : ": " + detail));
        this.status = status;
        this.type = type;
        this.title = title;
        this.detail = detail;
        this.instance = instance;
        this.errors = List.copyOf(errors);
        this.properties = Map.copyOf(properties);
        this.retryAfter = retryAfter;
    }

    public int status() {
        return status;
    }

    /** The problem type; {@code about:blank} when the server gave none. */
    public URI type() {
        return type;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return detail;
    }

    public String instance() {
        return instance;
    }

    /** Every field error the problem named, in its order; empty when it named none. */
    public List<FieldError> errors() {
        return errors;
    }

    /** The problem's extension members (e.g. {@code currentState} of a 409), JSON values as Java ones. */
    public Map<String, Object> properties() {
        return properties;
    }

    /** The Retry-After the server sent with it, if any. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** The problem as text for people: title, detail and one line per field error. */
    public String describe() {
        StringBuilder out = new StringBuilder().append(status).append(' ').append(title == null ? "" : title);
        if (detail != null) {
            out.append("\n  ").append(detail);
        }
        for (FieldError error : errors) {
            out.append("\n  - ").append(error.field()).append(": ").append(error.message());
        }
        return out.toString();
    }

    static ProblemException of(int status, URI type, String title, String detail, String instance,
            List<FieldError> errors, Map<String, Object> properties, Duration retryAfter) {
        Object[] a = {status, type, title, detail, instance, errors, properties, retryAfter};
        return switch (status) {
            case 400, 413, 415, 422 -> new InvalidRequest(a);
            case 401 -> new Unauthorized(a);
            case 403 -> new Forbidden(a);
            case 404 -> new NotFound(a);
            case 409, 412 -> new Conflict(a);
            case 429 -> new TooManyRequests(a);
            case 503 -> new ServiceUnavailable(a);
            default -> status >= 500 ? new ServerError(a) : new ProblemException(a);
        };
    }

    @SuppressWarnings("unchecked")
    private ProblemException(Object[] a) {
        this((Integer) a[0], (URI) a[1], (String) a[2], (String) a[3], (String) a[4], (List<FieldError>) a[5],
                (Map<String, Object>) a[6], (Duration) a[7]);
    }

    /** 400, 413, 415 or 422: the request was malformed or broke a rule; {@link #errors()} names every field. */
    public static final class InvalidRequest extends ProblemException {
        InvalidRequest(Object[] a) {
            super(a);
        }
    }

    /** 401: no key, or a key the gateway does not know. */
    public static final class Unauthorized extends ProblemException {
        Unauthorized(Object[] a) {
            super(a);
        }
    }

    /** 403: the key's role or party may not do this. */
    public static final class Forbidden extends ProblemException {
        Forbidden(Object[] a) {
            super(a);
        }
    }

    /** 404: no such thing, or not one the caller is a party to. */
    public static final class NotFound extends ProblemException {
        NotFound(Object[] a) {
            super(a);
        }
    }

    /** 409 or 412: the state or version is not what the action needs ({@code currentState} / {@code currentVersion}). */
    public static final class Conflict extends ProblemException {
        Conflict(Object[] a) {
            super(a);
        }
    }

    /** 429 that outlasted the client's retry budget. */
    public static final class TooManyRequests extends ProblemException {
        TooManyRequests(Object[] a) {
            super(a);
        }
    }

    /** 503 that outlasted the client's retry budget: a service this call needs is down. */
    public static final class ServiceUnavailable extends ProblemException {
        ServiceUnavailable(Object[] a) {
            super(a);
        }
    }

    /** Another 5xx that outlasted the retry budget. */
    public static final class ServerError extends ProblemException {
        ServerError(Object[] a) {
            super(a);
        }
    }
}
