package cn.chuanyu.kit.poll;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackoffTest {

    @Test
    void doublesFromTheFirstWaitUpToTheCeiling() {
        Backoff backoff = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(5));
        assertThat(backoff.after(1)).isEqualTo(Duration.ofMillis(200));
        assertThat(backoff.after(2)).isEqualTo(Duration.ofMillis(400));
        assertThat(backoff.after(5)).isEqualTo(Duration.ofMillis(3200));
        assertThat(backoff.after(6)).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void neverOverflowsIntoAShortOrNegativeWait() {
        Backoff backoff = new Backoff(Duration.ofSeconds(2), Duration.ofMinutes(10));
        for (int attempt : new int[] {30, 62, 63, 64, 1000, Integer.MAX_VALUE}) {
            assertThat(backoff.after(attempt)).as("attempt %d", attempt).isEqualTo(Duration.ofMinutes(10));
        }
    }

    @Test
    void aZeroFirstWaitStaysZero() {
        assertThat(new Backoff(Duration.ZERO, Duration.ofSeconds(1)).after(10)).isZero();
    }

    @Test
    void refusesACeilingBelowTheFirstWaitAndAttemptZero() {
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(2)).after(0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
