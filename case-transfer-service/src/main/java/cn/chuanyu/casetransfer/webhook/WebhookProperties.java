package cn.chuanyu.casetransfer.webhook;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Webhook delivery settings ({@code chuanyu.webhooks.*}).
 *
 * @param allowPrivateTargets accept {@code http} and loopback URLs (local development and tests only, whose
 *                            receivers listen on this machine); every other special-purpose address (private
 *                            networks, link-local metadata, ...) stays refused either way
 * @param maxPerAgency        registrations per agency
 * @param maxAttempts         attempts before a delivery is marked FAILED
 * @param initialBackoff      wait after the first failure; doubles per attempt up to {@code maxBackoff}
 * @param timeout             per-attempt connect and response timeout
 * @param pollInterval        how often the dispatcher looks for due deliveries
 */
@ConfigurationProperties("chuanyu.webhooks")
record WebhookProperties(Boolean allowPrivateTargets, Integer maxPerAgency, Integer maxAttempts,
        Duration initialBackoff, Duration maxBackoff, Duration timeout, Duration pollInterval) {

    WebhookProperties {
        allowPrivateTargets = allowPrivateTargets != null && allowPrivateTargets;
        maxPerAgency = maxPerAgency == null ? 5 : maxPerAgency;
        maxAttempts = maxAttempts == null ? 10 : maxAttempts;
        initialBackoff = initialBackoff == null ? Duration.ofSeconds(2) : initialBackoff;
        maxBackoff = maxBackoff == null ? Duration.ofMinutes(10) : maxBackoff;
        timeout = timeout == null ? Duration.ofSeconds(5) : timeout;
        pollInterval = pollInterval == null ? Duration.ofSeconds(1) : pollInterval;
    }
}
