package cn.chuanyu.kit.web;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Idempotency-Key settings ({@code chuanyu.idempotency.*}).
 *
 * @param ttl           how long a stored response answers a retry with the same key; older records are ignored and
 *                      the key may be used again
 * @param purgeInterval how often expired records are deleted
 */
@ConfigurationProperties("chuanyu.idempotency")
public record IdempotencyProperties(Duration ttl, Duration purgeInterval) {

    public IdempotencyProperties {
        ttl = ttl == null ? Duration.ofHours(24) : ttl;
        purgeInterval = purgeInterval == null ? Duration.ofHours(1) : purgeInterval;
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("chuanyu.idempotency.ttl must be positive");
        }
        if (purgeInterval.isNegative() || purgeInterval.isZero()) {
            throw new IllegalArgumentException("chuanyu.idempotency.purge-interval must be positive");
        }
    }
}
