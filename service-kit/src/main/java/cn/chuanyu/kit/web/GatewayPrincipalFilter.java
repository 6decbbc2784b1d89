package cn.chuanyu.kit.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

import cn.chuanyu.kit.identity.Caller;
import cn.chuanyu.kit.identity.InvalidPrincipalException;
import cn.chuanyu.kit.identity.PrincipalTokens;
import cn.chuanyu.kit.identity.TrustedServices;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses every API request that does not carry a principal token for this service and this very request (401):
 * signed by the gateway, or by a trusted service for a request that service may make on a caller's behalf
 * ({@link TrustedServices}). Exposes the verified {@link Caller} (the original caller) to controllers, and the calling
 * service, if any, as {@link #CALLING_SERVICE_ATTRIBUTE}. Also adopts the correlation id for logs, events and the
 * response.
 */
public class GatewayPrincipalFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(GatewayPrincipalFilter.class);


    /** Request attribute naming the service that called on the caller's behalf (absent for gateway requests). */
    public static final String CALLING_SERVICE_ATTRIBUTE = "cn.chuanyu.calling-service";

    private final PrincipalTokens.Verifier tokens;
    private final TrustedServices services;
    private final Clock clock;

    public GatewayPrincipalFilter(PrincipalTokens.Verifier tokens, TrustedServices services, Clock clock) {
        this.tokens = tokens;
        this.services = services;
        this.clock = clock;
    }

    private static void refuse(HttpServletRequest request, HttpServletResponse response, int status, String title,
            String detail) throws IOException {
        response.setStatus(status);
        response.setContentType(ProblemJson.MEDIA_TYPE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write(ProblemJson.body(status, title, detail, request.getRequestURI()));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String correlationId = Correlation.acceptOrCreate(request.getHeader(Correlation.HEADER));
        MDC.put(Correlation.MDC_KEY, correlationId);
        response.setHeader(Correlation.HEADER, correlationId);
        try {
            if (request.getRequestURI().startsWith("/api/")) {
                if (SuspiciousPaths.matches(request.getRequestURI())) {
                    // No place in this API (SuspiciousPaths); refuse rather than normalise.
                    refuse(request, response, HttpServletResponse.SC_BAD_REQUEST, "Invalid request",
                            SuspiciousPaths.DETAIL);
                    return;
                }
                Caller caller;
                try {
                    // The raw path: what the issuer saw and signed, before any decoding here.
                    PrincipalTokens.Verified verified = tokens.verify(request.getHeader(PrincipalTokens.HEADER),
                            request.getMethod(), request.getRequestURI(), clock.instant());
                    if (verified.fromService()) {
                        services.requireAllowed(verified.issuer(), request.getMethod(), request.getRequestURI());
                        request.setAttribute(CALLING_SERVICE_ATTRIBUTE, verified.issuer());
                    }
                    caller = verified.caller();
                }
                catch (InvalidPrincipalException ex) {
                    log.warn("refused {} {} from {}: {}", request.getMethod(), LogText.safe(request.getRequestURI()),
                            request.getRemoteAddr(), LogText.safe(ex.getMessage()));
                    refuse(request, response, HttpServletResponse.SC_UNAUTHORIZED, "Unauthorized", ex.getMessage());
                    return;
                }
                request.setAttribute(Caller.REQUEST_ATTRIBUTE, caller);
                MDC.put("caller", caller.id());
            }
            chain.doFilter(request, response);
        }
        finally {
            MDC.remove(Correlation.MDC_KEY);
            MDC.remove("caller");
        }
    }
}
