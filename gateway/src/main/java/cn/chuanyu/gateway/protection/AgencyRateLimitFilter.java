package cn.chuanyu.gateway.protection;

import java.util.Map;

import cn.chuanyu.gateway.edge.Problems;
import cn.chuanyu.kit.identity.Caller;
import org.springframework.cloud.gateway.filter.ratelimit.RedisRateLimiter;
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
 * Spring Cloud Gateway's {@link RedisRateLimiter}. Runs right after authentication. Over the limit: 429
 * problem+json with {@code Retry-After}. Each principal's limit is registered with the limiter under its own
 * configuration id (a map {@link RateLimiters} makes safe for concurrent requests); the Redis bucket key is the
 * (prefixed) principal id.
 */
@Component
class AgencyRateLimitFilter implements WebFilter, Ordered {

    private static final String CONFIG_ID_PREFIX = "principal:";

    private final RedisRateLimiter limiter;
    private final RateLimitProperties properties;

    AgencyRateLimitFilter(RedisRateLimiter limiter, RateLimitProperties properties) {
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
            return chain.filter(exchange);
        }
        RateLimitProperties.Limit limit = properties.limitOf(caller.id());
        String configId = CONFIG_ID_PREFIX + caller.id();
        limiter.getConfig().compute(configId, (id, existing) ->
                existing != null && existing.getReplenishRate() == limit.replenishRate()
                        && existing.getBurstCapacity() == limit.burstCapacity()
                        && existing.getRequestedTokens() == limit.requestedTokens() ? existing
                        : new RedisRateLimiter.Config().setReplenishRate(limit.replenishRate())
                                .setBurstCapacity(limit.burstCapacity()).setRequestedTokens(limit.requestedTokens()));
        return limiter.isAllowed(configId, properties.keyPrefix() + caller.id())
                .flatMap(response -> {
                    HttpHeaders headers = exchange.getResponse().getHeaders();
                    response.getHeaders().forEach(headers::set);
                    if (response.isAllowed()) {
                        return chain.filter(exchange);
                    }
                    return tooMany(exchange, caller, limit, remaining(response.getHeaders()));
                });
    }

    private static Mono<Void> tooMany(ServerWebExchange exchange, Caller caller, RateLimitProperties.Limit limit,
            long remaining) {
        long retryAfter = limit.secondsUntilAllowed(remaining);
        exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter));
        return Problems.write(exchange, HttpStatus.TOO_MANY_REQUESTS, "Too many requests",
                caller.id() + " exceeded its rate limit (" + limit.describe() + "); retry in " + retryAfter + " s",
                Map.of("retryAfterSeconds", retryAfter));
    }

    private long remaining(Map<String, String> headers) {
        try {
            return Long.parseLong(headers.getOrDefault(limiter.getRemainingHeader(), "0"));
        }
        catch (NumberFormatException ex) {
            return 0;
        }
    }
}
