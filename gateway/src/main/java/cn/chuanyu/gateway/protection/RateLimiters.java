package cn.chuanyu.gateway.protection;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.cloud.gateway.filter.ratelimit.RedisRateLimiter;
import org.springframework.cloud.gateway.support.ConfigurationService;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Spring Cloud Gateway's {@link RedisRateLimiter} (in place of the auto-configured one) with a thread-safe map of
 * configurations. The stock limiter keeps them in a plain {@code HashMap}, filled once at startup from the routes;
 * {@link AgencyRateLimitFilter} registers each caller's limit on request threads, many at once, and concurrent
 * inserts into a {@code HashMap} fail ({@code ConcurrentModificationException}, answered 500) or corrupt it.
 */
@Configuration(proxyBeanMethods = false)
class RateLimiters {

    @Bean
    ConcurrentConfigRedisRateLimiter redisRateLimiter(ReactiveStringRedisTemplate redisTemplate,
            @Qualifier(RedisRateLimiter.REDIS_SCRIPT_NAME) RedisScript<List<Long>> redisScript,
            ConfigurationService configurationService) {
        return new ConcurrentConfigRedisRateLimiter(redisTemplate, redisScript, configurationService);
    }

    static final class ConcurrentConfigRedisRateLimiter extends RedisRateLimiter {

        private final Map<String, Config> configs = new ConcurrentHashMap<>();

        ConcurrentConfigRedisRateLimiter(ReactiveStringRedisTemplate redisTemplate,
                RedisScript<List<Long>> redisScript, ConfigurationService configurationService) {
            super(redisTemplate, redisScript, configurationService);
        }

        @Override
        public Map<String, Config> getConfig() {
            return configs;
        }

        /** Takes a token from bucket {@code key} under {@code limit}, registered as configuration {@code configId}. */
        reactor.core.publisher.Mono<Response> isAllowed(String configId, String key, RateLimitProperties.Limit limit) {
            configs.compute(configId, (id, existing) ->
                    existing != null && existing.getReplenishRate() == limit.replenishRate()
                            && existing.getBurstCapacity() == limit.burstCapacity()
                            && existing.getRequestedTokens() == limit.requestedTokens() ? existing
                            : new Config().setReplenishRate(limit.replenishRate())
                                    .setBurstCapacity(limit.burstCapacity())
                                    .setRequestedTokens(limit.requestedTokens()));
            return isAllowed(configId, key);
        }

        /** Seconds until the bucket behind this answer lets a request through again. */
        long retryAfter(Response response, RateLimitProperties.Limit limit) {
            long remaining;
            try {
                remaining = Long.parseLong(response.getHeaders().getOrDefault(getRemainingHeader(), "0"));
            }
            catch (NumberFormatException ex) {
                remaining = 0;
            }
            return limit.secondsUntilAllowed(remaining);
        }
    }
}
