package cn.chuanyu.gateway.identity;

import java.util.Optional;

import cn.chuanyu.contracts.Role;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Actuator endpoints other than health need the operator role (metrics name routes, admin call counts and disk
 * paths): Prometheus scrapes with an operator's API key as its Bearer token. Health (with the liveness and
 * readiness groups) stays open, component states only, for load balancers, Consul and {@code ./platform status}.
 */
@Component
class ActuatorAccessFilter implements WebFilter, Ordered {

    private final PrincipalRegistry registry;

    ActuatorAccessFilter(PrincipalRegistry registry) {
        this.registry = registry;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 110;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = exchange.getRequest().getPath().value();
        if (!isProtected(path)) {
            return chain.filter(exchange);
        }
        String authorization = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return ApiKeyAuthenticationFilter.problem(exchange, HttpStatus.UNAUTHORIZED, "Unauthorized",
                    "actuator endpoints other than health need an operator's API key as 'Authorization: Bearer <key>'");
        }
        String key = authorization.substring(7).trim();
        Optional<PrincipalRegistry.Authentication> cached = registry.cachedAuthentication(key);
        Mono<Optional<PrincipalRegistry.Authentication>> found = cached.isPresent() ? Mono.just(cached)
                : Mono.fromCallable(() -> registry.authenticate(key)).subscribeOn(Schedulers.boundedElastic());
        return found.flatMap(authentication -> {
            if (authentication.isEmpty()) {
                return ApiKeyAuthenticationFilter.problem(exchange, HttpStatus.UNAUTHORIZED, "Unauthorized",
                        "unknown, revoked or expired API key");
            }
            if (authentication.get().suspended() || authentication.get().caller().role() != Role.OPERATOR) {
                return ApiKeyAuthenticationFilter.problem(exchange, HttpStatus.FORBIDDEN, "Forbidden",
                        "actuator endpoints other than health are for operators");
            }
            return chain.filter(exchange);
        });
    }

    static boolean isProtected(String path) {
        if (!path.equals("/actuator") && !path.startsWith("/actuator/")) {
            return false;
        }
        return !(path.equals("/actuator/health") || path.startsWith("/actuator/health/"));
    }
}
