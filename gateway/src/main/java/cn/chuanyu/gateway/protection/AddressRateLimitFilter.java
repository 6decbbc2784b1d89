package cn.chuanyu.gateway.protection;

import java.net.InetSocketAddress;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Rate limits every request by the client's address before authentication ({@code rate-limit.per-address}), so a
 * flood without a key is answered 429 before it costs a registry lookup, and is counted, not recorded one by one.
 * The address is the TCP peer's: a header such as {@code X-Forwarded-For} is the client's word. Health checks are
 * exempt, so a flood cannot make a probe fail.
 */
@Component
class AddressRateLimitFilter implements WebFilter, Ordered {

    private static final String CONFIG_ID = "address";

    private final RateLimiters.ConcurrentConfigRedisRateLimiter limiter;
    private final RateLimitProperties properties;

    AddressRateLimitFilter(RateLimiters.ConcurrentConfigRedisRateLimiter limiter, RateLimitProperties properties) {
        this.limiter = limiter;
        this.properties = properties;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 50;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        InetSocketAddress remote = exchange.getRequest().getRemoteAddress();
        String path = exchange.getRequest().getPath().value();
        if (!properties.enabled() || remote == null || path.equals("/actuator/health")
                || path.startsWith("/actuator/health/")) {
            return chain.filter(exchange);
        }
        String address = remote.getAddress() == null ? remote.getHostString() : remote.getAddress().getHostAddress();
        RateLimitProperties.Limit limit = properties.perAddress();
        return limiter.isAllowed(CONFIG_ID, properties.keyPrefix() + "address:" + address, limit)
                .flatMap(response -> {
                    if (response.isAllowed()) {
                        return chain.filter(exchange);
                    }
                    HttpHeaders headers = exchange.getResponse().getHeaders();
                    response.getHeaders().forEach(headers::set);
                    return AgencyRateLimitFilter.tooMany(exchange, "address " + address, limit,
                            limiter.retryAfter(response, limit));
                });
    }
}
