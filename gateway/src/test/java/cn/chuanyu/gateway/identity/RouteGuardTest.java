package cn.chuanyu.gateway.identity;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import cn.chuanyu.contracts.Role;
import cn.chuanyu.kit.identity.Caller;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

class RouteGuardTest {

    private final RouteGuard guard = new RouteGuard();

    @Test
    void aRoutedRequestWithoutACallerIsRefusedAndNotForwarded() {
        MockServerWebExchange exchange = routed("ops", Map.of());
        AtomicBoolean forwarded = new AtomicBoolean();

        guard.filter(exchange, forwarding(forwarded)).block();

        assertThat(forwarded).isFalse();
        assertThat(exchange.getResponse().getStatusCode().value()).isEqualTo(401);
        assertThat(exchange.getResponse().getHeaders().getContentType().toString())
                .startsWith("application/problem+json");
    }

    @Test
    void anAuthenticatedOrPublicRouteGoesOn() {
        MockServerWebExchange authenticated = routed("ops", Map.of());
        authenticated.getAttributes().put(Caller.REQUEST_ATTRIBUTE, caller());
        AtomicBoolean forwarded = new AtomicBoolean();
        guard.filter(authenticated, forwarding(forwarded)).block();
        assertThat(forwarded).isTrue();

        AtomicBoolean docs = new AtomicBoolean();
        guard.filter(routed("api-docs-audit-service", Map.of(RouteGuard.PUBLIC, true)), forwarding(docs)).block();
        assertThat(docs).isTrue();
    }

    private static Caller caller() {
        return new Caller("ops-operator", Role.OPERATOR, null, null);
    }

    private static MockServerWebExchange routed(String id, Map<String, Object> metadata) {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/api/v1/ops/flows"));
        exchange.getAttributes().put(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR, Route.async().id(id)
                .uri(URI.create("http://localhost:1")).predicate(e -> true).metadata(metadata).build());
        return exchange;
    }

    private static GatewayFilterChain forwarding(AtomicBoolean forwarded) {
        return exchange -> {
            forwarded.set(true);
            return Mono.empty();
        };
    }
}
