package cn.chuanyu.gateway.protection;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The circuit breaker of each service's routes ({@code chuanyu.gateway.circuit-breaker.*}): it opens when at
 * least {@code failureRateThreshold} percent of the last {@code slidingWindowSize} calls failed (connection refused,
 * timeout, 502/504), answers 503 at once while open, and lets a few calls through after
 * {@code waitDurationInOpenState} to see whether the service is back.
 */
@ConfigurationProperties("chuanyu.gateway.circuit-breaker")
record CircuitBreakerProperties(Float failureRateThreshold, Integer slidingWindowSize, Integer minimumNumberOfCalls,
        Duration waitDurationInOpenState, Integer permittedCallsInHalfOpenState) {

    CircuitBreakerProperties {
        failureRateThreshold = failureRateThreshold == null ? 50f : failureRateThreshold;
        slidingWindowSize = slidingWindowSize == null ? 20 : slidingWindowSize;
        minimumNumberOfCalls = minimumNumberOfCalls == null ? 10 : minimumNumberOfCalls;
        waitDurationInOpenState = waitDurationInOpenState == null ? Duration.ofSeconds(10) : waitDurationInOpenState;
        permittedCallsInHalfOpenState = permittedCallsInHalfOpenState == null ? 3 : permittedCallsInHalfOpenState;
    }
}
