package cn.chuanyu.kit.web;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

import cn.chuanyu.kit.identity.Caller;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.DefaultTransactionDefinition;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * {@code Idempotency-Key} on API POSTs. The first request with a key runs inside one transaction that also stores
 * its response, so the change, its outbox events and the stored response commit together: a retry with the same
 * key and body gets the original response back (with {@code Idempotent-Replayed: true}) and changes nothing; the
 * same key with another body is refused (422). Only successful responses are stored; a refused request can be
 * corrected and retried with the same key. Of two concurrent requests with one key, one commits and the other is
 * rolled back and answered with the winner's response.
 * <p>
 * A response marked {@code Cache-Control: no-store} holds a secret shown once (a webhook's signing secret, an API
 * key): it is kept without its body, and a retry is answered 409 with the Location of what the first request
 * created, never the secret again nor a second resource. A record expires after {@code chuanyu.idempotency.ttl}
 * (default 24 h): from then on it is ignored, and the key may be used again; {@link IdempotencyRecordPurge} deletes
 * it.
 */
public class IdempotencyFilter extends OncePerRequestFilter {

    public static final String HEADER = "Idempotency-Key";

    private static final Pattern VALID_KEY = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private final JdbcClient jdbc;
    private final PlatformTransactionManager txManager;
    private final long bodyLimit;
    private final Duration ttl;

    public IdempotencyFilter(JdbcClient jdbc, PlatformTransactionManager txManager, long bodyLimit, Duration ttl) {
        this.jdbc = jdbc;
        this.txManager = txManager;
        this.bodyLimit = bodyLimit;
        this.ttl = ttl;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"POST".equals(request.getMethod()) || request.getHeader(HEADER) == null
                || !request.getRequestURI().startsWith("/api/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Caller caller = (Caller) request.getAttribute(Caller.REQUEST_ATTRIBUTE);
        String key = request.getHeader(HEADER);
        if (caller == null) {
            chain.doFilter(request, response);
            return;
        }
        if (!VALID_KEY.matcher(key).matches()) {
            problem(request, response, 400, "Invalid request",
                    "Idempotency-Key must be 1-128 characters of letters, digits and . _ : -");
            return;
        }
        byte[] body;
        try {
            body = request.getInputStream().readNBytes((int) Math.min(Integer.MAX_VALUE - 8, bodyLimit + 1));
        }
        catch (PayloadTooLargeException ex) {
            JsonBodyLimitFilter.tooLarge(request, response, bodyLimit);
            return;
        }
        if (body.length > bodyLimit) {
            JsonBodyLimitFilter.tooLarge(request, response, bodyLimit);
            return;
        }
        String requestHash = hash(request, body);
        Optional<Stored> earlier = find(caller.id(), key);
        if (earlier.isPresent()) {
            replayOrRefuse(earlier.get(), requestHash, request, response);
            return;
        }

        ContentCachingResponseWrapper captured = new ContentCachingResponseWrapper(response);
        TransactionStatus tx = txManager.getTransaction(new DefaultTransactionDefinition());
        boolean committed = false;
        try {
            chain.doFilter(new CachedBodyRequest(request, body), captured);
            int status = captured.getStatus();
            if (status >= 200 && status < 300 && !tx.isRollbackOnly()) {
                boolean withheld = noStore(captured);
                // An expired record of the same key is replaced; a live one (a concurrent winner) is not.
                int stored = jdbc.sql("""
                        insert into idempotency_record (caller_id, idempotency_key, request_hash, status, content_type,
                          location, etag, body, body_withheld)
                        values (:caller, :key, :hash, :status, :contentType, :location, :etag, :body, :withheld)
                        on conflict (caller_id, idempotency_key) do update set request_hash = excluded.request_hash,
                          status = excluded.status, content_type = excluded.content_type,
                          location = excluded.location, etag = excluded.etag, body = excluded.body,
                          body_withheld = excluded.body_withheld, created_at = now()
                        where idempotency_record.created_at <= now() - :ttlMillis * interval '1 millisecond'""")
                        .param("caller", caller.id())
                        .param("key", key)
                        .param("hash", requestHash)
                        .param("status", status)
                        .param("contentType", captured.getContentType())
                        .param("location", captured.getHeader(HttpHeaders.LOCATION))
                        .param("etag", captured.getHeader(HttpHeaders.ETAG))
                        .param("body", withheld ? new byte[0] : captured.getContentAsByteArray())
                        .param("withheld", withheld)
                        .param("ttlMillis", ttl.toMillis())
                        .update();
                if (stored == 1) {
                    txManager.commit(tx);
                    committed = true;
                }
            }
        }
        finally {
            if (!committed && !tx.isCompleted()) {
                txManager.rollback(tx);
            }
        }
        if (!committed && captured.getStatus() >= 200 && captured.getStatus() < 300) {
            // A concurrent request with the same key won; answer as it did and discard what this one built.
            captured.resetBuffer();
            Optional<Stored> winner = find(caller.id(), key);
            if (winner.isPresent()) {
                replayOrRefuse(winner.get(), requestHash, request, response);
                return;
            }
            // Never report success for a change that did not commit.
            response.reset();
            problem(request, response, 500, "Internal error",
                    "the request could not be committed; retry with the same Idempotency-Key");
            return;
        }
        captured.copyBodyToResponse();
    }

    private Optional<Stored> find(String callerId, String key) {
        return jdbc.sql("""
                select request_hash, status, content_type, location, etag, body, body_withheld from idempotency_record
                where caller_id = :caller and idempotency_key = :key
                  and created_at > now() - :ttlMillis * interval '1 millisecond'""")
                .param("caller", callerId)
                .param("key", key)
                .param("ttlMillis", ttl.toMillis())
                .query((rs, n) -> new Stored(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getBytes(6), rs.getBoolean(7)))
                .optional();
    }

    private static boolean noStore(HttpServletResponse response) {
        return response.getHeaders(HttpHeaders.CACHE_CONTROL).stream()
                .flatMap(value -> Arrays.stream(value.split(",")))
                .anyMatch(directive -> directive.trim().equalsIgnoreCase("no-store"));
    }

    private static void replayOrRefuse(Stored stored, String requestHash, HttpServletRequest request,
            HttpServletResponse response) throws IOException {
        if (!stored.requestHash().equals(requestHash)) {
            problem(request, response, 422, "Idempotency-Key reused",
                    "this Idempotency-Key was already used for a different request; use a new key");
            return;
        }
        response.reset();
        if (stored.bodyWithheld()) {
            // Not the original status: a client must not take a success without its secret for the real thing.
            if (stored.location() != null) {
                response.setHeader(HttpHeaders.LOCATION, stored.location());
            }
            response.setHeader("Idempotent-Replayed", "true");
            response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
            problem(request, response, 409, "Already done",
                    "a request with this Idempotency-Key already succeeded" + (stored.location() == null ? ""
                            : " and created " + stored.location()) + "; its response held a secret that is shown "
                            + "only once and was not kept");
            return;
        }
        response.setStatus(stored.status());
        if (stored.contentType() != null) {
            response.setContentType(stored.contentType());
        }
        if (stored.location() != null) {
            response.setHeader(HttpHeaders.LOCATION, stored.location());
        }
        if (stored.etag() != null) {
            response.setHeader(HttpHeaders.ETAG, stored.etag());
        }
        response.setHeader("Idempotent-Replayed", "true");
        response.getOutputStream().write(stored.body());
    }

    private static void problem(HttpServletRequest request, HttpServletResponse response, int status, String title,
            String detail) throws IOException {
        response.setStatus(status);
        response.setContentType(ProblemJson.MEDIA_TYPE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write(ProblemJson.body(status, title, detail, request.getRequestURI()));
    }

    private static String hash(HttpServletRequest request, byte[] body) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((request.getMethod() + " " + request.getRequestURI() + "?"
                    + (request.getQueryString() == null ? "" : request.getQueryString()) + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            digest.update(body);
            return HexFormat.of().formatHex(digest.digest());
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private record Stored(String requestHash, int status, String contentType, String location, String etag,
            byte[] body, boolean bodyWithheld) {
    }

    /** Replays the body this filter already read to the rest of the chain. */
    private static final class CachedBodyRequest extends HttpServletRequestWrapper {

        private final byte[] body;

        CachedBodyRequest(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException();
                }
            };
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }
}
