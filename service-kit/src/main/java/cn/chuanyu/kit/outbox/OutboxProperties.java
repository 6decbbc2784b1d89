package cn.chuanyu.kit.outbox;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Outbox relay settings ({@code chuanyu.outbox.*}).
 *
 * @param relayEnabled   whether this instance publishes; off only in tests that stop between commit and publish
 * @param pollInterval   how often the relay looks for rows when nothing wakes it
 * @param batchSize      rows published per transaction, confirms awaited together
 * @param confirmTimeout how long to wait for the broker's confirm before counting the publish as failed
 * @param maxBackoff     ceiling of the exponential back-off between attempts of one row
 * @param linger         how long the relay waits after being woken before it looks, so that under load one pass
 *                       publishes what several commits added instead of one pass (and its statements) per commit
 */
@ConfigurationProperties("chuanyu.outbox")
public record OutboxProperties(Boolean relayEnabled, Duration pollInterval, Integer batchSize,
        Duration confirmTimeout, Duration maxBackoff, Duration linger) {

    public OutboxProperties {
        relayEnabled = relayEnabled == null || relayEnabled;
        pollInterval = pollInterval == null ? Duration.ofMillis(500) : pollInterval;
        batchSize = batchSize == null ? 200 : batchSize;
        confirmTimeout = confirmTimeout == null ? Duration.ofSeconds(10) : confirmTimeout;
        maxBackoff = maxBackoff == null ? Duration.ofSeconds(30) : maxBackoff;
        linger = linger == null ? Duration.ofMillis(5) : linger;
    }
}
