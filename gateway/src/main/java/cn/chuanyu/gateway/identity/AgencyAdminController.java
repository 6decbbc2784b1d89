package cn.chuanyu.gateway.identity;

import java.net.URI;

import cn.chuanyu.contracts.Role;
import cn.chuanyu.gateway.edge.Blocking;
import cn.chuanyu.kit.identity.AccessDeniedException;
import cn.chuanyu.kit.identity.Caller;
import cn.chuanyu.kit.web.Page;
import jakarta.validation.Valid;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The agency registry's admin API, for operators only (the access policy says so, and this checks again). Every
 * action is audited through the outbox.
 */
@RestController
@RequestMapping("/api/v1/admin/agencies")
class AgencyAdminController {

    private final AgencyAdministration admin;

    AgencyAdminController(AgencyAdministration admin) {
        this.admin = admin;
    }

    @PostMapping
    Mono<ResponseEntity<AgencyAdministration.AgencyView>> create(
            @Valid @RequestBody AgencyRequests.Create request, ServerWebExchange exchange) {
        Caller operator = operator(exchange);
        return Blocking.call(exchange, () -> admin.create(request, operator))
                .map(agency -> ResponseEntity.created(URI.create("/api/v1/admin/agencies/" + agency.id()))
                        .body(agency));
    }

    @GetMapping
    Mono<Page<AgencyAdministration.AgencyView>> list(@RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String cursor, ServerWebExchange exchange) {
        operator(exchange);
        return Blocking.call(exchange, () -> admin.list(limit, cursor));
    }

    @GetMapping("/{id}")
    Mono<AgencyAdministration.AgencyView> get(@PathVariable String id, ServerWebExchange exchange) {
        operator(exchange);
        return Blocking.call(exchange, () -> admin.get(id));
    }

    /** The key is in this response and nowhere else: it is not stored, so it cannot be shown again. */
    @PostMapping("/{id}/keys")
    Mono<ResponseEntity<AgencyAdministration.IssuedKeyView>> issueKey(@PathVariable String id,
            @RequestBody(required = false) AgencyRequests.IssueKey request, ServerWebExchange exchange) {
        Caller operator = operator(exchange);
        return Blocking.call(exchange, () -> admin.issueKey(id, request == null ? null : request.expiresAt(),
                        operator))
                .map(key -> ResponseEntity.created(URI.create("/api/v1/admin/agencies/" + id + "/keys/" + key.id()))
                        .cacheControl(CacheControl.noStore())
                        .body(key));
    }

    /** Revokes the key at once on this gateway (other instances within 30 s); the old key then gets 401. */
    @DeleteMapping("/{id}/keys/{keyId}")
    Mono<ResponseEntity<Void>> revokeKey(@PathVariable String id, @PathVariable String keyId,
            ServerWebExchange exchange) {
        Caller operator = operator(exchange);
        return Blocking.call(exchange, () -> {
            admin.revokeKey(id, keyId, operator);
            return Boolean.TRUE;
        }).thenReturn(ResponseEntity.noContent().build());
    }

    @PostMapping("/{id}/suspend")
    Mono<AgencyAdministration.AgencyView> suspend(@PathVariable String id,
            @Valid @RequestBody AgencyRequests.Suspend request, ServerWebExchange exchange) {
        Caller operator = operator(exchange);
        return Blocking.call(exchange, () -> admin.suspend(id, request.reason(), operator));
    }

    @PostMapping("/{id}/reactivate")
    Mono<AgencyAdministration.AgencyView> reactivate(@PathVariable String id, ServerWebExchange exchange) {
        Caller operator = operator(exchange);
        return Blocking.call(exchange, () -> admin.reactivate(id, operator));
    }

    @PutMapping("/{id}/client-certificate")
    Mono<AgencyAdministration.AgencyView> setClientCertificate(@PathVariable String id,
            @Valid @RequestBody AgencyRequests.ClientCertificate request, ServerWebExchange exchange) {
        Caller operator = operator(exchange);
        return Blocking.call(exchange, () -> admin.setClientCertificate(id, request.subject(), operator));
    }

    @DeleteMapping("/{id}/client-certificate")
    Mono<AgencyAdministration.AgencyView> removeClientCertificate(@PathVariable String id,
            ServerWebExchange exchange) {
        Caller operator = operator(exchange);
        return Blocking.call(exchange, () -> admin.setClientCertificate(id, null, operator));
    }

    private static Caller operator(ServerWebExchange exchange) {
        Caller caller = exchange.getAttribute(Caller.REQUEST_ATTRIBUTE);
        if (caller == null) {
            throw new AccessDeniedException("the admin API needs an operator's key");
        }
        return caller.requireRole(Role.OPERATOR);
    }
}
