package cn.chuanyu.gateway.edge;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import cn.chuanyu.kit.web.Correlation;
import org.springframework.core.Ordered;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Accepts a well-formed {@code X-Correlation-Id} or creates one, and continues the caller's W3C trace
 * ({@code traceparent}) or starts one. Both go downstream and come back on the response. The gateway is one hop of
 * the trace: services see the caller's trace id with the gateway's span as parent.
 */
@Component
class CorrelationWebFilter implements WebFilter, Ordered {

    static final String TRACEPARENT = "traceparent";
    static final String CORRELATION_ID_ATTR = "cn.chuanyu.correlationId";
    static final String TRACE_ID_ATTR = "cn.chuanyu.traceId";

    /** version-traceid-parentid-flags; version ff and all-zero ids are invalid (W3C Trace Context, level 1). */
    private static final Pattern TRACEPARENT_FORMAT =
            Pattern.compile("([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?");
    private static final SecureRandom RANDOM = new SecureRandom();

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String correlationId = Correlation.acceptOrCreate(
                exchange.getRequest().getHeaders().getFirst(Correlation.HEADER));
        TraceContext trace = TraceContext.continueOrStart(exchange.getRequest().getHeaders().getFirst(TRACEPARENT));
        exchange.getAttributes().put(CORRELATION_ID_ATTR, correlationId);
        exchange.getAttributes().put(Problems.PATH_ATTR, exchange.getRequest().getPath().value());
        exchange.getAttributes().put(TRACE_ID_ATTR, trace.traceId());
        ServerHttpRequest request = exchange.getRequest().mutate()
                .headers(h -> {
                    h.set(Correlation.HEADER, correlationId);
                    h.set(TRACEPARENT, trace.header());
                })
                .build();
        // Set just before commit, replacing the copy the proxied service returned, so each header appears once.
        exchange.getResponse().beforeCommit(() -> {
            exchange.getResponse().getHeaders().set(Correlation.HEADER, correlationId);
            exchange.getResponse().getHeaders().set(TRACEPARENT, trace.header());
            return Mono.empty();
        });
        return chain.filter(exchange.mutate().request(request).build());
    }

    /** The trace this request belongs to and the gateway's span in it. */
    record TraceContext(String traceId, String spanId, String flags) {

        static TraceContext continueOrStart(String incoming) {
            if (incoming != null) {
                Matcher m = TRACEPARENT_FORMAT.matcher(incoming.trim());
                if (m.matches() && !"ff".equals(m.group(1)) && !m.group(2).matches("0+")
                        && !m.group(3).matches("0+") && ("00".equals(m.group(1)) ? m.group(5) == null : true)) {
                    return new TraceContext(m.group(2), randomHex(8), m.group(4));
                }
            }
            return new TraceContext(randomHex(16), randomHex(8), "01");
        }

        String header() {
            return "00-" + traceId + "-" + spanId + "-" + flags;
        }

        private static String randomHex(int bytes) {
            byte[] random = new byte[bytes];
            do {
                RANDOM.nextBytes(random);
            }
            while (isZero(random));
            return HexFormat.of().formatHex(random);
        }

        private static boolean isZero(byte[] bytes) {
            for (byte b : bytes) {
                if (b != 0) {
                    return false;
                }
            }
            return true;
        }
    }
}
