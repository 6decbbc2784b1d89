package cn.chuanyu.gateway.protection;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

import cn.chuanyu.gateway.edge.BodyTooLargeException;
import cn.chuanyu.gateway.edge.Problems;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Small bodies for JSON APIs, large ones only for evidence uploads. A declared Content-Length over the limit is
 * refused (413) without reaching the service, after its bytes were read and dropped up to a bound (see
 * {@link #discardBody}); a body without one is counted as it streams through and cut off at the limit. Nothing is
 * buffered: the bytes flow on to the service as they arrive.
 */
@Component
class RequestSizeFilter implements WebFilter, Ordered {

    private static final PathPattern EVIDENCE = PathPatternParser.defaultInstance.parse("/api/v1/evidence-packages/**");

    private final RequestSizeProperties properties;

    RequestSizeFilter(RequestSizeProperties properties) {
        this.properties = properties;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 300;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        long limit = isUpload(request) ? properties.maxUpload().toBytes() : properties.maxJsonBody().toBytes();
        long declared = request.getHeaders().getContentLength();
        if (declared > limit) {
            return discardBody(request, declared).then(Problems.write(exchange, HttpStatus.CONTENT_TOO_LARGE,
                    "Request body too large",
                    "request body of " + declared + " bytes exceeds the limit of " + limit + " bytes for this API"));
        }
        if (declared >= 0) {
            return chain.filter(exchange); // the server reads no more than Content-Length
        }
        AtomicLong seen = new AtomicLong();
        ServerHttpRequest counted = new ServerHttpRequestDecorator(request) {
            @Override
            public Flux<DataBuffer> getBody() {
                return super.getBody().handle((buffer, sink) -> {
                    if (seen.addAndGet(buffer.readableByteCount()) > limit) {
                        DataBufferUtils.release(buffer);
                        sink.error(new BodyTooLargeException(limit));
                    }
                    else {
                        sink.next(buffer);
                    }
                });
            }
        };
        return chain.filter(exchange.mutate().request(counted).build());
    }

    /**
     * Reads and drops a refused body before the 413 goes out. A client that sends its whole body without waiting
     * for 100 Continue (Python's urllib, a raw socket) reads the answer only after writing; closing the connection
     * with its bytes unread makes the kernel send a reset, which also throws away the answer the client has not
     * read yet. Bounded in bytes and time (a body larger than the bound is refused at once, as before); a client
     * that asked for 100 Continue is answered at once and never sends the body.
     */
    private Mono<Void> discardBody(ServerHttpRequest request, long declared) {
        String expect = request.getHeaders().getFirst(HttpHeaders.EXPECT);
        if (declared > properties.maxDiscard().toBytes()
                || (expect != null && expect.toLowerCase(Locale.ROOT).contains("100-continue"))) {
            return Mono.empty();
        }
        return request.getBody()
                .doOnNext(DataBufferUtils::release)
                .then()
                .timeout(properties.discardTimeout())
                .onErrorResume(ex -> Mono.empty()); // a client that stalls or goes away: answer (or close) anyway
    }

    private static boolean isUpload(ServerHttpRequest request) {
        HttpMethod method = request.getMethod();
        return (HttpMethod.PUT.equals(method) || HttpMethod.PATCH.equals(method))
                && EVIDENCE.matches(request.getPath().pathWithinApplication());
    }
}
