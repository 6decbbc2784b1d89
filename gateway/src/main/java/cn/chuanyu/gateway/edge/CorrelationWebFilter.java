package cn.chuanyu.gateway.edge;

import cn.chuanyu.kit.identity.Caller;
import cn.chuanyu.kit.web.Correlation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Accepts a well-formed {@code X-Correlation-Id} or creates one, passes it downstream, returns it on the
 * response, and writes one access line per request for operators.
 */
@Component
class CorrelationWebFilter implements WebFilter, Ordered {

    private static final Logger access = LoggerFactory.getLogger("chuanyu.access");

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String correlationId = Correlation.acceptOrCreate(
                exchange.getRequest().getHeaders().getFirst(Correlation.HEADER));
        ServerHttpRequest request = exchange.getRequest().mutate()
                .headers(h -> h.set(Correlation.HEADER, correlationId))
                .build();
        // Set just before commit, replacing the copy the proxied service returned, so the header appears once.
        exchange.getResponse().beforeCommit(() -> {
            exchange.getResponse().getHeaders().set(Correlation.HEADER, correlationId);
            return Mono.empty();
        });
        long started = System.nanoTime();
        return chain.filter(exchange.mutate().request(request).build())
                .doFinally(signal -> {
                    Caller caller = exchange.getAttribute(Caller.REQUEST_ATTRIBUTE);
                    access.info("{} {} {} caller={} correlationId={} {}ms", request.getMethod(),
                            request.getPath().value(), exchange.getResponse().getStatusCode(),
                            caller == null ? "-" : caller.id(), correlationId,
                            (System.nanoTime() - started) / 1_000_000);
                });
    }
}
