package cn.chuanyu.gateway.edge;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import cn.chuanyu.kit.web.ProblemJson;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/** RFC 9457 problem responses written straight onto the exchange, in the shape the services use. */
public final class Problems {

    public static final MediaType MEDIA_TYPE = MediaType.parseMediaType(ProblemJson.MEDIA_TYPE);

    /** The request path as it arrived, kept by {@link CorrelationWebFilter} before any rewrite or forward. */
    static final String PATH_ATTR = "cn.chuanyu.requestPath";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Problems() {
    }

    public static Mono<Void> write(ServerWebExchange exchange, HttpStatusCode status, String title, String detail) {
        return write(exchange, status, title, detail, Map.of());
    }

    /** {@code extra} adds members such as {@code errors} (a list of {field, message}) or {@code service}. */
    public static Mono<Void> write(ServerWebExchange exchange, HttpStatusCode status, String title, String detail,
            Map<String, ?> extra) {
        ServerHttpResponse response = exchange.getResponse();
        if (response.isCommitted()) {
            return Mono.empty(); // too late to answer differently; the connection is closed by the server
        }
        response.setStatusCode(status);
        response.getHeaders().setContentType(MEDIA_TYPE);
        response.getHeaders().remove("Content-Length");
        // The gateway answers these itself, often before the request was read to its end; reusing such a connection
        // was seen to leave the next request on it unanswered (about 2 % of requests after a refusal, until the
        // client gave up), so the client is asked to open a new one.
        response.getHeaders().set(HttpHeaders.CONNECTION, "close");
        byte[] body = body(status.value(), title, detail, instance(exchange), extra);
        DataBuffer buffer = response.bufferFactory().wrap(body);
        return response.writeWith(Mono.just(buffer));
    }

    /** The path the client asked for, also after an internal forward (circuit-breaker fallbacks). */
    static String instance(ServerWebExchange exchange) {
        String original = exchange.getAttribute(PATH_ATTR);
        return original != null ? original : exchange.getRequest().getPath().value();
    }

    static byte[] body(int status, String title, String detail, String instance, Map<String, ?> extra) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", title);
        problem.put("status", status);
        problem.put("detail", detail);
        problem.put("instance", instance);
        problem.putAll(extra);
        return JSON.writeValueAsBytes(problem);
    }

    /** The {@code errors} member naming one field. */
    public static Map<String, Object> fieldError(String field, String message) {
        return Map.of("errors", List.of(Map.of("field", field, "message", message)));
    }
}
