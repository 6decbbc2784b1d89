package cn.chuanyu.kit.consumer;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Consumer failure handling ({@code chuanyu.messaging.*}).
 *
 * @param maxRedeliveries rounds through the retry queues before a message goes to its {@code .dlq} (default 3)
 * @param retryDelays     the wait before each redelivery (default 1s, 10s, 60s, the retry queues' TTLs; shorter
 *                        values are sent as per-message expiration, e.g. in tests; longer ones are capped)
 * @param confirmTimeout  how long to wait for the broker to confirm a republished message
 */
@ConfigurationProperties("chuanyu.messaging")
public record MessagingProperties(Integer maxRedeliveries, List<Duration> retryDelays, Duration confirmTimeout) {

    public MessagingProperties {
        maxRedeliveries = maxRedeliveries == null ? 3 : Math.max(0, maxRedeliveries);
        retryDelays = retryDelays == null || retryDelays.isEmpty() ? ConsumerQueues.RETRY_DELAYS : List.copyOf(retryDelays);
        confirmTimeout = confirmTimeout == null ? Duration.ofSeconds(10) : confirmTimeout;
    }

    /** The wait before redelivery number {@code round} (1-based), never longer than its queue's TTL. */
    public Duration delay(int round) {
        Duration wanted = retryDelays.get(Math.min(round, retryDelays.size()) - 1);
        Duration queueTtl = ConsumerQueues.RETRY_DELAYS.get(Math.min(round, ConsumerQueues.RETRY_DELAYS.size()) - 1);
        return wanted.compareTo(queueTtl) < 0 ? wanted : queueTtl;
    }
}
