package cn.chuanyu.gateway.identity;

import cn.chuanyu.gateway.edge.Problems;
import cn.chuanyu.kit.identity.Caller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The last line behind {@link ApiKeyAuthenticationFilter}: a request a route matched but that did not pass
 * authentication and the access policy (no caller on the exchange) is refused by the gateway itself, never proxied.
 * Should a path ever slip past the authentication filter's scope (a spelling the routes decode and it does not read
 * as an API path), the service is still not reached. Routes meant for anyone carry {@link #PUBLIC} metadata.
 */
@Component
public class RouteGuard implements GlobalFilter, Ordered {

    /** Route metadata: {@code true} on routes served without a key (the services' OpenAPI documents). */
    public static final String PUBLIC = "chuanyu-public";

    private static final Logger log = LoggerFactory.getLogger(RouteGuard.class);

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
        Caller caller = exchange.getAttribute(Caller.REQUEST_ATTRIBUTE);
        if (caller != null || route == null || Boolean.TRUE.equals(route.getMetadata().get(PUBLIC))) {
            return chain.filter(exchange);
        }
        log.error("refused {} {} on route {}: it matched a route without passing authentication; check the "
                + "authentication filter's scope", exchange.getRequest().getMethod(),
                cn.chuanyu.kit.web.LogText.safe(exchange.getRequest().getURI().getRawPath()), route.getId());
        return ApiKeyAuthenticationFilter.problem(exchange, HttpStatus.UNAUTHORIZED, "Unauthorized",
                "send your agency's API key as 'Authorization: Bearer <key>'");
    }
}
