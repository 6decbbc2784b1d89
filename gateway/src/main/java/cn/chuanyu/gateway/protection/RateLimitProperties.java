package cn.chuanyu.gateway.protection;

import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Per-caller rate limits ({@code chuanyu.gateway.rate-limit.*}): a token bucket per principal id, refilled at
 * {@code replenishRate} tokens a second up to {@code burstCapacity}; one request costs one token.
 *
 * @param enabled      off only where no Redis is wanted at all
 * @param keyPrefix    prepended to every bucket key in Redis (tests use a fresh one per run)
 * @param defaultLimit the limit of every principal without an override
 * @param principals   overrides by principal id
 */
@ConfigurationProperties("chuanyu.gateway.rate-limit")
record RateLimitProperties(Boolean enabled, String keyPrefix, Limit defaultLimit, Map<String, Limit> principals) {

    record Limit(int replenishRate, long burstCapacity) {

        Limit {
            if (replenishRate < 1 || burstCapacity < replenishRate) {
                throw new IllegalArgumentException(
                        "a rate limit needs replenish-rate >= 1 and burst-capacity >= replenish-rate");
            }
        }
    }

    RateLimitProperties {
        enabled = enabled == null || enabled;
        keyPrefix = keyPrefix == null ? "" : keyPrefix;
        defaultLimit = defaultLimit == null ? new Limit(20, 40) : defaultLimit;
        principals = principals == null ? Map.of() : Map.copyOf(principals);
    }

    Limit limitOf(String principalId) {
        return principals.getOrDefault(principalId, defaultLimit);
    }
}
