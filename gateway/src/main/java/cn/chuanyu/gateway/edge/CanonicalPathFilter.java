package cn.chuanyu.gateway.edge;

import cn.chuanyu.kit.web.SuspiciousPaths;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Refuses (400) every request whose path is not written the one way the gateway's checks read it. The route
 * predicates match on decoded segments without matrix parameters, while authentication, the access policy, rate
 * limits and header stripping read the path as sent; {@code /%61pi/v1/ops/...} or {@code /api;x/v1/ops/...} would
 * be routed without being checked. Once this filter has passed a path, both readings agree: no percent-encoded
 * letters, digits or {@code -._~} (RFC 3986 says not to encode them), no matrix parameters, dot segments, empty
 * segments, backslashes, encoded separators or malformed escapes. Refusing rather than rewriting keeps the path the
 * access record shows the path the client sent. Runs before everything but correlation and the access record.
 */
@Component
class CanonicalPathFilter implements WebFilter, Ordered {

    static final String DETAIL = "path is not in canonical form: " + SuspiciousPaths.DETAIL
            + ", empty segments, matrix parameters or percent-encoded letters, digits or '-._~'";

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 20;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!isCanonical(exchange.getRequest().getURI().getRawPath())) {
            return Problems.write(exchange, HttpStatus.BAD_REQUEST, "Invalid request", DETAIL);
        }
        return chain.filter(exchange);
    }

    static boolean isCanonical(String rawPath) {
        if (rawPath == null || rawPath.isEmpty()) {
            return true; // the root
        }
        if (rawPath.charAt(0) != '/' || rawPath.contains("//") || SuspiciousPaths.matches(rawPath)) {
            return false;
        }
        for (int i = rawPath.indexOf('%'); i >= 0; i = rawPath.indexOf('%', i + 1)) {
            if (i + 2 >= rawPath.length()) {
                return false;
            }
            int high = Character.digit(rawPath.charAt(i + 1), 16);
            int low = Character.digit(rawPath.charAt(i + 2), 16);
            if (high < 0 || low < 0 || isUnreserved((char) (high * 16 + low))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isUnreserved(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                || c == '_' || c == '~';
    }
}
