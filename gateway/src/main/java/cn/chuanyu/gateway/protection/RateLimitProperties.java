package cn.chuanyu.gateway.protection;

import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Per-caller rate limits ({@code chuanyu.gateway.rate-limit.*}): a token bucket per principal id, refilled at
 * {@code replenishRate} tokens a second up to {@code burstCapacity}; a request costs {@code requestedTokens} (1
 * unless set: a higher cost expresses rates below one request a second, e.g. rate 1 and cost 60 is one a minute).
 *
 * @param enabled      off only where no Redis is wanted at all
 * @param keyPrefix    prepended to every bucket key in Redis (tests use a fresh one per run)
 * @param defaultLimit the limit of every principal without an override
 * @param principals   overrides by principal id
 * @param perAddress   the limit of each client address, applied to every request before authentication (so
 *                     floods without a key are refused before they cost a registry lookup or an access record);
 *                     generous, since agencies behind one NAT share an address
 */
@ConfigurationProperties("chuanyu.gateway.rate-limit")
record RateLimitProperties(Boolean enabled, String keyPrefix, Limit defaultLimit, Map<String, Limit> principals,
        Limit perAddress) {

    record Limit(int replenishRate, long burstCapacity, Integer requestedTokens) {

        Limit {
            requestedTokens = requestedTokens == null ? 1 : requestedTokens;
            if (replenishRate < 1 || requestedTokens < 1 || burstCapacity < Math.max(replenishRate, requestedTokens)) {
                throw new IllegalArgumentException("a rate limit needs replenish-rate >= 1, requested-tokens >= 1 and "
                        + "burst-capacity >= both");
            }
        }

        /** Seconds until a request can pass again, given the tokens left in the bucket. */
        long secondsUntilAllowed(long remaining) {
            long missing = Math.max(1, requestedTokens - Math.max(0, remaining));
            return Math.max(1, (missing + replenishRate - 1) / replenishRate);
        }

        String describe() {
            String rate = requestedTokens == 1 ? replenishRate + " requests per second"
                    : requestedTokens % replenishRate == 0
                            ? "1 request every " + requestedTokens / replenishRate + " s"
                            : String.format(java.util.Locale.ROOT, "%.2f requests per second",
                                    (double) replenishRate / requestedTokens);
            return rate + ", bursts of " + burstCapacity / requestedTokens;
        }
    }

    RateLimitProperties {
        enabled = enabled == null || enabled;
        keyPrefix = keyPrefix == null ? "" : keyPrefix;
        defaultLimit = defaultLimit == null ? new Limit(100, 300, 1) : defaultLimit;
        principals = principals == null ? Map.of() : Map.copyOf(principals);
        perAddress = perAddress == null ? new Limit(300, 600, 1) : perAddress;
    }

    Limit limitOf(String principalId) {
        return principals.getOrDefault(principalId, defaultLimit);
    }
}
