package cn.chuanyu.evidence;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code chuanyu.evidence.*}: where evidence is stored, the key that signs manifests, the largest item accepted,
 * and how hard to try case-transfer-service when a package is linked to an exchange.
 */
@ConfigurationProperties("chuanyu.evidence")
public record EvidenceProperties(Path storeDir, Path signingKeyFile, long maxItemBytes, Linkage linkage) {

    public EvidenceProperties {
        if (storeDir == null) {
            storeDir = Path.of("var/evidence-store");
        }
        if (signingKeyFile == null) {
            signingKeyFile = Path.of("var/keys/evidence-signing-ed25519.pem");
        }
        if (maxItemBytes <= 0) {
            maxItemBytes = 16L << 30;
        }
        if (linkage == null) {
            linkage = new Linkage(0, null, 0, 0, 0, null);
        }
    }

    /**
     * Resilience of the call to case-transfer-service: attempts of the idempotent GET (with {@code retryWait}
     * between them), and the circuit breaker that stops calling a service that keeps failing.
     */
    public record Linkage(int maxAttempts, Duration retryWait, float failureRateThreshold, int minimumNumberOfCalls,
            int slidingWindowSize, Duration waitInOpenState) {

        public Linkage {
            maxAttempts = maxAttempts <= 0 ? 2 : maxAttempts;
            retryWait = retryWait == null ? Duration.ofMillis(100) : retryWait;
            failureRateThreshold = failureRateThreshold <= 0 ? 50 : failureRateThreshold;
            minimumNumberOfCalls = minimumNumberOfCalls <= 0 ? 4 : minimumNumberOfCalls;
            slidingWindowSize = slidingWindowSize <= 0 ? 10 : slidingWindowSize;
            waitInOpenState = waitInOpenState == null ? Duration.ofSeconds(10) : waitInOpenState;
        }
    }
}
