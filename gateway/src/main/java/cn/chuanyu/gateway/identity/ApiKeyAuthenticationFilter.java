package cn.chuanyu.gateway.identity;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import cn.chuanyu.contracts.Role;
import cn.chuanyu.gateway.edge.Problems;
import cn.chuanyu.kit.identity.Caller;
import cn.chuanyu.kit.web.LogText;
import cn.chuanyu.kit.web.SuspiciousPaths;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Authenticates every {@code /api/} request by its Bearer API key (or, with mutual TLS on and no key sent, by the
 * verified client certificate registered for an agency), refuses suspended agencies with 403, applies the access
 * policy and strips every identity header the client sent; {@link PrincipalTokenFilter} then signs the principal
 * token for the one service and request the route forwards to.
 */
@Component
class ApiKeyAuthenticationFilter implements WebFilter, Ordered {

    private static final Logger log = LoggerFactory.getLogger(ApiKeyAuthenticationFilter.class);
    private static final String IDENTITY_HEADER_PREFIX = "x-chuanyu-";

    private final PrincipalRegistry registry;
    private final ClientCertificates certificates;
    private final List<Map.Entry<PathPattern, Set<Role>>> rules;

    ApiKeyAuthenticationFilter(PrincipalRegistry registry, ClientCertificates certificates, AccessPolicy policy) {
        this.registry = registry;
        this.certificates = certificates;
        this.rules = policy.access().stream()
                .map(rule -> Map.entry(PathPatternParser.defaultInstance.parse(rule.path()), rule.roles()))
                .toList();
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 100;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        String path = request.getPath().value();
        if (!path.startsWith("/api/")) {
            return chain.filter(exchange);
        }
        if (SuspiciousPaths.matches(request.getURI().getRawPath())) {
            // Refused here rather than forwarded: the services' servlet container would answer in HTML.
            return problem(exchange, HttpStatus.BAD_REQUEST, "Invalid request",
                    SuspiciousPaths.DETAIL);
        }
        String authorization = request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        if (authorization == null && certificates.enabled()) {
            Optional<String> subject = certificates.verifiedSubject(request);
            if (subject.isPresent()) {
                return Mono.fromCallable(() -> registry.authenticateCertificate(subject.get()))
                        .subscribeOn(Schedulers.boundedElastic())
                        .flatMap(found -> found.isEmpty()
                                ? problem(exchange, HttpStatus.UNAUTHORIZED, "Unauthorized",
                                        "client certificate is not registered for any agency")
                                : authorize(exchange, chain, found.get()));
            }
        }
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return problem(exchange, HttpStatus.UNAUTHORIZED, "Unauthorized",
                    "send your agency's API key as 'Authorization: Bearer <key>'");
        }
        String key = authorization.substring(7).trim();
        Optional<PrincipalRegistry.Authentication> known = registry.cachedAuthentication(key);
        if (known.isPresent()) {
            return authorize(exchange, chain, known.get());
        }
        return Mono.fromCallable(() -> registry.authenticate(key))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(found -> found.isEmpty()
                        ? problem(exchange, HttpStatus.UNAUTHORIZED, "Unauthorized",
                                "unknown, revoked or expired API key")
                        : authorize(exchange, chain, found.get()));
    }

    private Mono<Void> authorize(ServerWebExchange exchange, WebFilterChain chain,
            PrincipalRegistry.Authentication authentication) {
        Caller caller = authentication.caller();
        exchange.getAttributes().put(Caller.REQUEST_ATTRIBUTE, caller);
        if (authentication.suspended()) {
            return problem(exchange, HttpStatus.FORBIDDEN, "Forbidden",
                    caller.id() + " is suspended; contact the platform operators");
        }
        PathContainer path = exchange.getRequest().getPath().pathWithinApplication();
        Optional<Set<Role>> allowed = rules.stream()
                .filter(rule -> rule.getKey().matches(path))
                .map(Map.Entry::getValue)
                .findFirst();
        if (allowed.isEmpty()) {
            return problem(exchange, HttpStatus.NOT_FOUND, "Not found", "no API at this path");
        }
        if (!allowed.get().contains(caller.role())) {
            return problem(exchange, HttpStatus.FORBIDDEN, "Forbidden",
                    "role " + caller.role() + " may not call this API; allowed: " + allowed.get());
        }
        ServerHttpRequest forwarded = exchange.getRequest().mutate()
                .headers(headers -> {
                    headers.headerNames().stream()
                            .filter(name -> name.toLowerCase().startsWith(IDENTITY_HEADER_PREFIX))
                            .toList()
                            .forEach(headers::remove);
                    headers.remove(HttpHeaders.AUTHORIZATION);
                })
                .build();
        return chain.filter(exchange.mutate().request(forwarded).build());
    }

    static Mono<Void> problem(ServerWebExchange exchange, HttpStatus status, String title, String detail) {
        if (status == HttpStatus.UNAUTHORIZED) {
            log.warn("refused {} {} from {}: {}", exchange.getRequest().getMethod(),
                    LogText.safe(exchange.getRequest().getPath().value()), exchange.getRequest().getRemoteAddress(),
                    LogText.safe(detail));
            exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"chuanyu\"");
        }
        return Problems.write(exchange, status, title, detail);
    }
}
