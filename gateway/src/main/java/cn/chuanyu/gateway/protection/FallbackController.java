package cn.chuanyu.gateway.protection;

import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

import cn.chuanyu.gateway.edge.BodyTooLargeException;
import cn.chuanyu.gateway.edge.Problems;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Where a route's circuit breaker sends a failed call: a 503 problem naming the service that is unavailable (504
 * when it was only too slow), with {@code Retry-After}. Reached only by the gateway's internal forward.
 */
@RestController
class FallbackController {

    private static final Logger log = LoggerFactory.getLogger(FallbackController.class);
    private static final Pattern SERVICE = Pattern.compile("[a-z][a-z-]{1,62}");

    private final CircuitBreakerProperties circuitBreaker;

    FallbackController(CircuitBreakerProperties circuitBreaker) {
        this.circuitBreaker = circuitBreaker;
    }

    @RequestMapping("/fallback/{service}")
    Mono<Void> fallback(@PathVariable String service, ServerWebExchange exchange) {
        if (exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR) == null) {
            // Called directly rather than forwarded by a route's circuit breaker: there is nothing here.
            return Problems.write(exchange, HttpStatus.NOT_FOUND, "Not found", "nothing at this path");
        }
        String name = SERVICE.matcher(service).matches() ? service : "the service";
        Throwable failure = exchange.getAttribute(ServerWebExchangeUtils.CIRCUITBREAKER_EXECUTION_EXCEPTION_ATTR);
        BodyTooLargeException tooLarge = cause(failure, BodyTooLargeException.class);
        if (tooLarge != null) {
            return Problems.write(exchange, HttpStatus.CONTENT_TOO_LARGE, "Request body too large",
                    "request body exceeds the limit of " + tooLarge.limitBytes() + " bytes for this API");
        }
        long retryAfter;
        HttpStatus status = HttpStatus.SERVICE_UNAVAILABLE;
        String title = "Service unavailable";
        String detail;
        if (failure instanceof CallNotPermittedException) {
            retryAfter = Math.max(1, circuitBreaker.waitDurationInOpenState().toSeconds());
            detail = name + " is unavailable (it failed repeatedly, so calls are paused); try again in "
                    + retryAfter + " s";
        }
        else if (isTimeout(failure)) {
            retryAfter = 5;
            status = HttpStatus.GATEWAY_TIMEOUT;
            title = "Gateway timeout";
            detail = name + " did not answer in time; the request may or may not have taken effect";
        }
        else {
            retryAfter = 5;
            detail = name + " is unavailable; try again shortly";
        }
        log.warn("{} -> {} {}: {}", exchange.getRequest().getMethod(), status.value(), name,
                failure == null ? "no failure recorded" : failure.toString());
        exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter));
        return Problems.write(exchange, status, title, detail, Map.of("service", name));
    }

    private static boolean isTimeout(Throwable failure) {
        if (cause(failure, TimeoutException.class) != null) {
            return true;
        }
        ResponseStatusException status = cause(failure, ResponseStatusException.class);
        return status != null && status.getStatusCode().value() == HttpStatus.GATEWAY_TIMEOUT.value();
    }

    private static <T extends Throwable> T cause(Throwable ex, Class<T> type) {
        for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
