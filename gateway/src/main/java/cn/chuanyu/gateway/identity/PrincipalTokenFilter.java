package cn.chuanyu.gateway.identity;

import java.net.URI;
import java.time.Clock;

import cn.chuanyu.kit.identity.Caller;
import cn.chuanyu.kit.identity.Ed25519Keys;
import cn.chuanyu.kit.identity.PrincipalTokens;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.ReactiveLoadBalancerClientFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Gives every forwarded API request its own principal token: for the route's service (its {@code lb://} name), this
 * request's method and the raw path as forwarded, with a unique id. Runs after the route's filters and the load
 * balancer have settled the target URI, so the path signed is the path sent; a retried request passes through here
 * again and gets a new token (the service would refuse a second use of the first). The caller was authenticated,
 * and its client-sent identity headers stripped, by {@link ApiKeyAuthenticationFilter}.
 */
@Component
class PrincipalTokenFilter implements GlobalFilter, Ordered {

    private final PrincipalTokens.Issuer tokens;
    private final Clock clock;

    PrincipalTokenFilter(Clock clock, @Value("${chuanyu.identity.gateway-private-key}") String privateKey) {
        this.tokens = new PrincipalTokens.Issuer(PrincipalTokens.GATEWAY,
                Ed25519Keys.privateKey(Ed25519Keys.inlineOrFile(privateKey)));
        this.clock = clock;
    }

    @Override
    public int getOrder() {
        return ReactiveLoadBalancerClientFilter.LOAD_BALANCER_CLIENT_FILTER_ORDER + 1;
    }

    /**
     * Deferred: the load balancer sets the target URI when its choice completes, after this filter is assembled,
     * and the Retry filter resubscribes for each attempt, which must get a new token.
     */
    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        return Mono.defer(() -> {
            Caller caller = exchange.getAttribute(Caller.REQUEST_ATTRIBUTE);
            Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
            URI target = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR);
            if (caller == null || route == null || target == null || !"lb".equals(route.getUri().getScheme())) {
                // Not an authenticated API request to a service (docs, fallbacks): no principal travels.
                return chain.filter(exchange.mutate()
                        .request(r -> r.headers(headers -> headers.remove(PrincipalTokens.HEADER))).build());
            }
            String token = tokens.tokenFor(caller, route.getUri().getHost(),
                    exchange.getRequest().getMethod().name(), target.getRawPath(), clock.instant());
            return chain.filter(exchange.mutate()
                    .request(r -> r.headers(headers -> headers.set(PrincipalTokens.HEADER, token))).build());
        });
    }
}
