package cn.chuanyu.kit.poll;

import java.time.Duration;

/** Exponential back-off with a ceiling: the one formula for retrying a failed pass, publish or delivery. */
public record Backoff(Duration first, Duration max) {

    public Backoff {
        if (first.isNegative() || max.compareTo(first) < 0) {
            throw new IllegalArgumentException("back-off needs 0 <= first <= max, got " + first + " and " + max);
        }
    }

    /** The wait after the {@code attempt}-th failure in a row (1 = the first): first, 2 x first, 4 x first, ... max. */
    public Duration after(int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt counts from 1, got " + attempt);
        }
        int doublings = Math.min(attempt - 1, 62);
        long firstNanos = first.toNanos();
        // Compare before shifting: a shift that overflows would wrap round to a short (or negative) wait.
        if (firstNanos == 0 || doublings >= Long.numberOfLeadingZeros(firstNanos) - 1
                || (firstNanos << doublings) >= max.toNanos()) {
            return firstNanos == 0 ? Duration.ZERO : max;
        }
        return Duration.ofNanos(firstNanos << doublings);
    }
}
