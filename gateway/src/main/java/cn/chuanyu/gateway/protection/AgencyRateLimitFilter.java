package cn.chuanyu.gateway.protection;

import java.util.Map;

import cn.chuanyu.gateway.edge.Problems;
import cn.chuanyu.kit.identity.Caller;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Rate limits every authenticated API call by its caller (agency, operator or auditor), across all routes, with
 * Spring Cloud Gateway's {@code RedisRateLimiter}. Runs right after authentication. Over the limit: 429
 * problem+json with {@code Retry-After}. Each principal's limit is registered with the limiter under its own
 * configuration id (a map {@link RateLimiters} makes safe for concurrent requests); the Redis bucket key is the
 * (prefixed) principal id.
 */
@Component
class AgencyRateLimitFilter implements WebFilter, Ordered {

    private static final String CONFIG_ID_PREFIX = "principal:";

    private final RateLimiters.ConcurrentConfigRedisRateLimiter limiter;
    private final RateLimitProperties properties;

    AgencyRateLimitFilter(RateLimiters.ConcurrentConfigRedisRateLimiter limiter, RateLimitProperties properties) {
        this.limiter = limiter;
        this.properties = properties;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 200;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        Caller caller = exchange.getAttribute(Caller.REQUEST_ATTRIBUTE);
        if (!properties.enabled() || caller == null) {
            return chain.filter(exchange); // anonymous requests: limited by address (AddressRateLimitFilter)
        }
        RateLimitProperties.Limit limit = properties.limitOf(caller.id());
        return limiter.isAllowed(CONFIG_ID_PREFIX + caller.id(), properties.keyPrefix() + caller.id(), limit)
                .flatMap(response -> {
                    HttpHeaders headers = exchange.getResponse().getHeaders();
                    response.getHeaders().forEach(headers::set);
                    if (response.isAllowed()) {
                        return chain.filter(exchange);
                    }
                    return tooMany(exchange, caller.id(), limit, limiter.retryAfter(response, limit));
                });
    }

    /** 429 problem+json with {@code Retry-After}. */
    static Mono<Void> tooMany(ServerWebExchange exchange, String who, RateLimitProperties.Limit limit,
            long retryAfter) {
        exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter));
        return Problems.write(exchange, HttpStatus.TOO_MANY_REQUESTS, "Too many requests",
                who + " exceeded its rate limit (" + limit.describe() + "); retry in " + retryAfter + " s",
                Map.of("retryAfterSeconds", retryAfter));
    }
}
