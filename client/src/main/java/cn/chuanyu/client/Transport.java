package cn.chuanyu.client;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import tools.jackson.databind.JsonNode;

/**
 * Sends one API call and the retries it may need: the bearer key on every request, an Idempotency-Key on every
 * POST (the same on each retry, so the server runs it once), retries after a connection failure, a timeout or a 5xx
 * for calls that are safe to repeat, and after 429/503 as long as the server's Retry-After fits in the budget.
 */
final class Transport {

    /** Methods a retry cannot run twice: a POST is made safe by its Idempotency-Key. */
    private static final Set<String> REPEATABLE = Set.of("GET", "HEAD", "PUT", "DELETE", "OPTIONS", "POST");

    final URI gateway;
    private final String apiKey;
    final HttpClient http;
    private final RetryPolicy retry;
    private final Duration requestTimeout;

    Transport(URI gateway, String apiKey, HttpClient http, RetryPolicy retry, Duration requestTimeout) {
        this.gateway = gateway;
        this.apiKey = apiKey;
        this.http = http;
        this.retry = retry;
        this.requestTimeout = requestTimeout;
    }

    /** A response whose body was read in full. */
    record Response(int status, java.net.http.HttpHeaders headers, byte[] body) {
        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        JsonNode json() {
            return Json.MAPPER.readTree(body);
        }

        <T> T as(Class<T> type) {
            return Json.MAPPER.readValue(body, type);
        }
    }

    URI uri(String pathAndQuery) {
        if (pathAndQuery.startsWith("http://") || pathAndQuery.startsWith("https://")) {
            return URI.create(pathAndQuery);
        }
        return gateway.resolve(pathAndQuery);
    }

    HttpRequest.Builder request(String method, URI uri, Map<String, String> headers,
            HttpRequest.BodyPublisher body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).method(method, body);
        if (apiKey != null) {
            builder.header("Authorization", "Bearer " + apiKey);
        }
        headers.forEach(builder::header);
        return builder;
    }

    /** A JSON call: the response is returned when 2xx, a {@link ProblemException} is thrown otherwise. */
    Response json(String method, String path, Object body, Map<String, String> extraHeaders) {
        Map<String, String> headers = new LinkedHashMap<>(extraHeaders);
        headers.putIfAbsent("Accept", "application/json, application/problem+json");
        byte[] bytes = null;
        if (body != null) {
            bytes = Json.MAPPER.writeValueAsBytes(body);
            headers.put("Content-Type", "application/json");
        }
        Response response = send(method, path, headers, bytes);
        if (response.status() >= 400) {
            throw problem(response);
        }
        return response;
    }

    /**
     * Sends with retries and returns whatever status came last (callers decide what is an error). A POST without an
     * Idempotency-Key gets one here, before the first attempt, so every retry carries the same key.
     */
    Response send(String method, String path, Map<String, String> headers, byte[] body) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        if (method.equals("POST") && all.keySet().stream().noneMatch("Idempotency-Key"::equalsIgnoreCase)) {
            all.put("Idempotency-Key", UUID.randomUUID().toString());
        }
        HttpRequest request = request(method, uri(path), all,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body))
                .timeout(requestTimeout).build();
        return withRetries(method, () -> {
            HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return new Response(r.statusCode(), r.headers(), r.body());
        });
    }

    interface Attempt {
        Response run() throws IOException, InterruptedException;
    }

    Response withRetries(String method, Attempt attempt) {
        boolean repeatable = REPEATABLE.contains(method);
        long waited = 0;
        for (int n = 1; ; n++) {
            Response response;
            try {
                response = attempt.run();
            }
            catch (InterruptedException | InterruptedIOException ex) {
                if (ex instanceof InterruptedException || Thread.currentThread().isInterrupted()) {
                    Thread.currentThread().interrupt();
                    throw new UncheckedIOException(new InterruptedIOException("interrupted"));
                }
                // HttpTimeoutException is an InterruptedIOException: a timeout, retried like a broken connection
                response = null;
                if (!repeatable || n >= retry.maxAttempts()) {
                    throw new UncheckedIOException((IOException) ex);
                }
            }
            catch (IOException ex) {
                response = null;
                if (!repeatable || n >= retry.maxAttempts()) {
                    throw new UncheckedIOException(ex);
                }
            }
            Duration wait;
            if (response == null) {
                wait = retry.backoff(n);
            }
            else if (response.status() == 429 || response.status() == 503) {
                Duration after = retryAfter(response.header("Retry-After"));
                wait = after != null ? after : retry.backoff(n);
            }
            else if (response.status() >= 500 && repeatable) {
                wait = retry.backoff(n);
            }
            else {
                return response;
            }
            if (response != null && (n >= retry.maxAttempts() || waited + wait.toMillis() > retry.maxWait().toMillis())) {
                return response;
            }
            if (response == null && waited + wait.toMillis() > retry.maxWait().toMillis()) {
                throw new UncheckedIOException(new IOException("no answer within the retry budget of " + retry.maxWait()));
            }
            waited += wait.toMillis();
            try {
                retry.sleeper().sleep(wait);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new UncheckedIOException(new InterruptedIOException("interrupted while waiting to retry"));
            }
        }
    }

    /** Retry-After as delay-seconds or an HTTP-date (RFC 9110 §10.2.3); null when absent or unreadable. */
    static Duration retryAfter(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.strip())));
        }
        catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration until = Duration.between(ZonedDateTime.now(at.getZone()), at);
                return until.isNegative() ? Duration.ZERO : until;
            }
            catch (RuntimeException unreadable) {
                return null;
            }
        }
    }

    static ProblemException problem(Response response) {
        String contentType = response.header("Content-Type");
        JsonNode body = null;
        if (contentType != null && contentType.contains("json") && response.body().length > 0) {
            try {
                body = Json.MAPPER.readTree(response.body());
            }
            catch (RuntimeException notJson) {
                body = null;
            }
        }
        Duration retryAfter = retryAfter(response.header("Retry-After"));
        if (body == null || !body.isObject()) {
            String text = new String(response.body(), StandardCharsets.UTF_8).strip();
            return ProblemException.of(response.status(), URI.create("about:blank"), reason(response.status()),
                    text.isEmpty() ? null : text.substring(0, Math.min(500, text.length())), null, List.of(),
                    Map.of(), retryAfter);
        }
        List<ProblemException.FieldError> errors = new ArrayList<>();
        for (JsonNode error : body.path("errors")) {
            errors.add(new ProblemException.FieldError(text(error, "field"), text(error, "message")));
        }
        Map<String, Object> properties = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> member : body.properties()) {
            if (!Set.of("type", "title", "status", "detail", "instance", "errors").contains(member.getKey())) {
                properties.put(member.getKey(), Json.MAPPER.treeToValue(member.getValue(), Object.class));
            }
        }
        String type = text(body, "type");
        return ProblemException.of(response.status(), URI.create(type == null ? "about:blank" : type),
                text(body, "title") == null ? reason(response.status()) : text(body, "title"), text(body, "detail"),
                text(body, "instance"), errors, properties, retryAfter);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asString();
    }

    private static String reason(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 409 -> "Conflict";
            case 429 -> "Too Many Requests";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            default -> "HTTP " + status;
        };
    }

    static String query(Map<String, ?> params) {
        StringBuilder out = new StringBuilder();
        params.forEach((name, value) -> {
            if (value != null) {
                out.append(out.length() == 0 ? "?" : "&").append(name).append('=')
                        .append(URLEncoder.encode(value.toString(), StandardCharsets.UTF_8));
            }
        });
        return out.toString();
    }

    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
