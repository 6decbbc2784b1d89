package cn.chuanyu.kit.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Clock;

import cn.chuanyu.kit.identity.Caller;
import cn.chuanyu.kit.identity.InvalidPrincipalException;
import cn.chuanyu.kit.identity.PrincipalTokens;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses every API request that does not carry a principal token signed by the gateway (401), and exposes the
 * verified {@link Caller} to controllers. Also adopts the correlation id for logs, events and the response.
 */
public class GatewayPrincipalFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(GatewayPrincipalFilter.class);


    private final PrincipalTokens.Verifier tokens;
    private final Clock clock;

    public GatewayPrincipalFilter(PublicKey gatewayKey, Clock clock) {
        this.tokens = new PrincipalTokens.Verifier(gatewayKey);
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
                    caller = tokens.verify(request.getHeader(PrincipalTokens.HEADER), clock.instant());
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
