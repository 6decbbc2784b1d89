package cn.chuanyu.client;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How hard the client tries: at most {@code maxAttempts} sends of one call, and at most {@code maxWait} spent
 * waiting between them in total. A Retry-After longer than what is left of the budget ends the call at once with the
 * 429/503 problem rather than sleeping past it.
 */
public record RetryPolicy(int maxAttempts, Duration maxWait, Duration firstBackoff, Sleeper sleeper) {

    /** Waits between attempts; tests pass one that records instead of sleeping. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    public static final Sleeper REAL_SLEEP = d -> Thread.sleep(d.toMillis());

    /** Five attempts, 60 s of waiting, back-off from 250 ms doubling (with jitter) up to 8 s. */
    public static RetryPolicy defaults() {
        return new RetryPolicy(5, Duration.ofSeconds(60), Duration.ofMillis(250), REAL_SLEEP);
    }

    /** One attempt: no retries at all. */
    public static RetryPolicy none() {
        return new RetryPolicy(1, Duration.ZERO, Duration.ZERO, REAL_SLEEP);
    }

    public RetryPolicy withSleeper(Sleeper other) {
        return new RetryPolicy(maxAttempts, maxWait, firstBackoff, other);
    }

    /** Exponential back-off with full jitter on the upper half, for failures that came without Retry-After. */
    Duration backoff(int attempt) {
        long base = Math.min(8000, firstBackoff.toMillis() << Math.min(attempt - 1, 10));
        return Duration.ofMillis(base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1));
    }
}
