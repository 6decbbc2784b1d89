package cn.chuanyu.evidence.linkage;

import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

import cn.chuanyu.evidence.EvidenceProperties;
import cn.chuanyu.kit.domain.RuleViolationException;
import cn.chuanyu.kit.web.ServiceUnavailableException;
import feign.FeignException;
import feign.RetryableException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Checks with case-transfer-service that a linked exchange exists and that the package's two agencies are its two
 * parties. The GET is idempotent, so a failed attempt (connection refused or reset, timeout, 5xx) is retried; a
 * circuit breaker stops calling a service that keeps failing, so callers get a 503 at once instead of waiting for
 * timeouts. Per attempt Feign waits at most connect 0.5 s + read 1 s (application.yml), so with the default two
 * attempts an unreachable or hanging service costs a caller about 2.1 s at worst, and nothing is created.
 */
@Component
public class ExchangeLinks {

    static final String SERVICE = "case-transfer-service";

    private static final Logger log = LoggerFactory.getLogger(ExchangeLinks.class);

    private final CaseTransferClient client;
    private final CircuitBreaker circuitBreaker;
    private final Retry retry;
    private final long openSeconds;

    ExchangeLinks(CaseTransferClient client, EvidenceProperties properties,
            ObjectProvider<CircuitBreakerRegistry> circuitBreakers, ObjectProvider<RetryRegistry> retries) {
        this.client = client;
        EvidenceProperties.Linkage config = properties.linkage();
        this.openSeconds = Math.max(1, config.waitInOpenState().toSeconds());
        this.circuitBreaker = circuitBreakers.getIfAvailable(CircuitBreakerRegistry::ofDefaults)
                .circuitBreaker(SERVICE, CircuitBreakerConfig.custom()
                        .slidingWindowSize(config.slidingWindowSize())
                        .minimumNumberOfCalls(config.minimumNumberOfCalls())
                        .failureRateThreshold(config.failureRateThreshold())
                        .waitDurationInOpenState(config.waitInOpenState())
                        .permittedNumberOfCallsInHalfOpenState(2)
                        .recordExceptions(Unavailable.class)
                        .build());
        this.retry = retries.getIfAvailable(RetryRegistry::ofDefaults)
                .retry(SERVICE, RetryConfig.custom()
                        .maxAttempts(config.maxAttempts())
                        .waitDuration(config.retryWait())
                        .retryExceptions(Unavailable.class)
                        .build());
    }

    /**
     * @throws RuleViolationException       (422) no such exchange of which the caller is a party, or
     *                                     {@code toAgency} is not its other party
     * @throws ServiceUnavailableException (503) case-transfer-service could not answer
     */
    public void requireParties(LinkKind kind, UUID exchangeId, String caller, String toAgency) {
        ExchangeView exchange = find(kind, exchangeId).orElseThrow(() -> new RuleViolationException(kind.field(),
                "no " + kind.label() + " " + exchangeId + " of which " + caller + " is a party"));
        if (!Set.of(caller, toAgency).equals(Set.of(exchange.fromAgency(), exchange.toAgency()))) {
            throw new RuleViolationException("toAgency", "the parties of " + kind.label() + " " + exchangeId + " are "
                    + exchange.fromAgency() + " and " + exchange.toAgency() + ", so evidence for it can only go to "
                    + (caller.equals(exchange.fromAgency()) ? exchange.toAgency() : exchange.fromAgency()));
        }
    }

    Optional<ExchangeView> find(LinkKind kind, UUID id) {
        Supplier<Optional<ExchangeView>> call = () -> attempt(kind, id);
        try {
            return Retry.decorateSupplier(retry, CircuitBreaker.decorateSupplier(circuitBreaker, call)).get();
        }
        catch (CallNotPermittedException ex) {
            throw new ServiceUnavailableException(SERVICE, SERVICE + " is unavailable (it failed repeatedly; calls "
                    + "are paused for up to " + openSeconds + " s), so the " + kind.label()
                    + " could not be checked and nothing was created", openSeconds, ex);
        }
        catch (Unavailable ex) {
            throw new ServiceUnavailableException(SERVICE, SERVICE + " did not answer (" + ex.getMessage()
                    + "), so the " + kind.label() + " could not be checked and nothing was created", 5, ex);
        }
        catch (UnexpectedAnswer ex) {
            throw new ServiceUnavailableException(SERVICE, SERVICE + " answered the check of the " + kind.label()
                    + " with " + ex.getMessage() + "; nothing was created", 5, ex);
        }
    }

    private Optional<ExchangeView> attempt(LinkKind kind, UUID id) {
        try {
            ExchangeView view = kind == LinkKind.CASE_TRANSFER ? client.caseTransfer(id)
                    : client.assistanceRequest(id);
            if (view == null || view.fromAgency() == null || view.toAgency() == null) {
                throw new UnexpectedAnswer("a body without the parties");
            }
            return Optional.of(view);
        }
        catch (RetryableException ex) {
            log.warn("{} check of {} {} failed: {}", SERVICE, kind.label(), id, ex.getMessage());
            throw new Unavailable(ex.getCause() != null ? ex.getCause().getClass().getSimpleName() + ": "
                    + ex.getCause().getMessage() : ex.getMessage());
        }
        catch (FeignException ex) {
            if (ex.status() == 404) {
                return Optional.empty();
            }
            if (ex.status() < 0 || ex.status() == 429 || ex.status() >= 500) {
                log.warn("{} check of {} {} failed with status {}", SERVICE, kind.label(), id, ex.status());
                throw new Unavailable("status " + ex.status());
            }
            log.error("{} answered the check of {} {} with status {}: {}", SERVICE, kind.label(), id, ex.status(),
                    ex.contentUTF8());
            throw new UnexpectedAnswer("status " + ex.status());
        }
    }

    /** A failure worth retrying and counting against the circuit. */
    static final class Unavailable extends RuntimeException {
        Unavailable(String message) {
            super(message);
        }
    }

    /** An answer that retrying will not fix (e.g. 401: our forwarded principal was refused). */
    static final class UnexpectedAnswer extends RuntimeException {
        UnexpectedAnswer(String message) {
            super(message);
        }
    }
}
