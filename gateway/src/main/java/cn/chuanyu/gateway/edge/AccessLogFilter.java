package cn.chuanyu.gateway.edge;

import java.time.Clock;
import java.time.Instant;

import cn.chuanyu.contracts.GatewayAccess;
import cn.chuanyu.kit.identity.Caller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatusCode;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * One access record per request (who, method, route, path, status, duration, correlation and trace id; never
 * bodies or query strings) for the audit trail, plus a log line for operators. Failures further in are rendered
 * as problems here, so the record carries the status the client actually got. Requests refused without a caller
 * (no key, bad key, no such path, over the address limit) are only counted ({@link RefusalCounts}): anyone can send
 * them. Paths are cut at {@value #MAX_PATH} characters.
 */
@Component
class AccessLogFilter implements WebFilter, Ordered {

    private static final Logger access = LoggerFactory.getLogger("chuanyu.access");

    /** Longer paths are cut when recorded and logged; no API path comes near it. */
    static final int MAX_PATH = 512;

    private final AccessRecorder recorder;
    private final RefusalCounts refusals;
    private final GatewayProblems problems;
    private final Clock clock;

    AccessLogFilter(AccessRecorder recorder, RefusalCounts refusals, GatewayProblems problems, Clock clock) {
        this.recorder = recorder;
        this.refusals = refusals;
        this.problems = problems;
        this.clock = clock;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 10;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = capped(exchange.getRequest().getPath().value());
        if (path.startsWith("/actuator/")) {
            return chain.filter(exchange); // health probes every few seconds are not access to the platform
        }
        Instant arrived = clock.instant();
        long started = System.nanoTime();
        return chain.filter(exchange)
                .onErrorResume(ex -> problems.handle(exchange, ex))
                .doFinally(signal -> {
                    Caller caller = exchange.getAttribute(Caller.REQUEST_ATTRIBUTE);
                    HttpStatusCode status = exchange.getResponse().getStatusCode();
                    Integer code = switch (signal) {
                        case CANCEL -> null; // the client went away
                        default -> status == null ? 200 : status.value();
                    };
                    if (caller == null && (code == null || (code >= 400 && code < 500))) {
                        refusals.count(code);
                        return;
                    }
                    long millis = (System.nanoTime() - started) / 1_000_000;
                    String correlationId = exchange.getAttribute(CorrelationWebFilter.CORRELATION_ID_ATTR);
                    String method = exchange.getRequest().getMethod().name();
                    access.info("{} {} {} caller={} correlationId={} {}ms", method, path, code,
                            caller == null ? "-" : caller.id(), correlationId, millis);
                    recorder.record(new GatewayAccess(caller == null ? null : caller.id(),
                            caller == null ? null : caller.role().name(), method, route(exchange, path), path, code,
                            millis, correlationId, exchange.getAttribute(CorrelationWebFilter.TRACE_ID_ATTR),
                            arrived.toString()));
                });
    }

    static String capped(String path) {
        return path.length() <= MAX_PATH ? path
                : path.substring(0, MAX_PATH) + "...(cut; " + path.length() + " characters)";
    }

    private static String route(ServerWebExchange exchange, String path) {
        Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
        if (route != null) {
            return route.getId();
        }
        return path.startsWith("/api/v1/admin/") || path.equals("/api/v1/admin") ? "admin" : null;
    }
}
