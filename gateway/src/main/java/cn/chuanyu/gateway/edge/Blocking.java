package cn.chuanyu.gateway.edge;

import java.util.concurrent.Callable;

import cn.chuanyu.kit.web.Correlation;
import org.slf4j.MDC;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Runs JDBC work off the event loop, with the request's correlation id in the MDC so that events the work appends
 * to the outbox carry it.
 */
public final class Blocking {

    private Blocking() {
    }

    public static <T> Mono<T> call(ServerWebExchange exchange, Callable<T> work) {
        String correlationId = exchange.getRequest().getHeaders().getFirst(Correlation.HEADER);
        return Mono.fromCallable(() -> {
            String previous = MDC.get(Correlation.MDC_KEY);
            if (correlationId != null) {
                MDC.put(Correlation.MDC_KEY, correlationId);
            }
            try {
                return work.call();
            }
            finally {
                if (previous == null) {
                    MDC.remove(Correlation.MDC_KEY);
                }
                else {
                    MDC.put(Correlation.MDC_KEY, previous);
                }
            }
        }).subscribeOn(Schedulers.boundedElastic());
    }
}
