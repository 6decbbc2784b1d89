package cn.chuanyu.gateway.identity;

import java.net.URI;

import cn.chuanyu.contracts.Role;
import cn.chuanyu.gateway.edge.Blocking;
import cn.chuanyu.kit.identity.AccessDeniedException;
import cn.chuanyu.kit.identity.Caller;
import cn.chuanyu.kit.web.Page;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
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
@Tag(name = "Agency registry", description = "Operators register agencies, issue and revoke their API keys, map "
        + "client certificates and suspend or reactivate agencies. Every action is audited.")
@RestController
@RequestMapping("/api/v1/admin/agencies")
class AgencyAdminController {

    private final AgencyAdministration admin;

    AgencyAdminController(AgencyAdministration admin) {
        this.admin = admin;
    }

    @Operation(operationId = "registerAgency", summary = "Register an agency",
            description = "Its id, name, region and kind; it can call the platform once it has a key (or a client "
                    + "certificate).")
    @PostMapping
    Mono<ResponseEntity<AgencyAdministration.AgencyView>> create(
            @Valid @RequestBody AgencyRequests.Create request, ServerWebExchange exchange) {
        Caller operator = operator(exchange);
        return Blocking.call(exchange, () -> admin.create(request, operator))
                .map(agency -> ResponseEntity.created(URI.create("/api/v1/admin/agencies/" + agency.id()))
                        .body(agency));
    }

    @Operation(operationId = "listAgencies", summary = "List registered agencies",
            description = "With their status and keys (never the keys themselves); `nextCursor` fetches the next page.")
    @GetMapping
    Mono<Page<AgencyAdministration.AgencyView>> list(@RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String cursor, ServerWebExchange exchange) {
        operator(exchange);
        return Blocking.call(exchange, () -> admin.list(limit, cursor));
    }

    @Operation(operationId = "getAgency", summary = "Read an agency",
            description = "Its status, suspension, client certificate subject and keys (ids and dates, not the keys).")
    @GetMapping("/{id}")
    Mono<AgencyAdministration.AgencyView> get(@PathVariable String id, ServerWebExchange exchange) {
        operator(exchange);
        return Blocking.call(exchange, () -> admin.get(id));
    }

    /** The key is in this response and nowhere else: it is not stored, so it cannot be shown again. */
    @Operation(operationId = "issueAgencyKey", summary = "Issue an API key for an agency",
            description = "The key is in this response and nowhere else: it is not stored, so it cannot be shown "
                    + "again. `expiresAt` is optional.")
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
    @Operation(operationId = "revokeAgencyKey", summary = "Revoke one of an agency's API keys",
            description = "At once on this gateway, on the others within 30 s; the key then gets 401.")
    @DeleteMapping("/{id}/keys/{keyId}")
    Mono<ResponseEntity<Void>> revokeKey(@PathVariable String id, @PathVariable String keyId,
            ServerWebExchange exchange) {
        Caller operator = operator(exchange);
        return Blocking.call(exchange, () -> {
            admin.revokeKey(id, keyId, operator);
            return Boolean.TRUE;
        }).thenReturn(ResponseEntity.noContent().build());
    }

    @Operation(operationId = "suspendAgency", summary = "Suspend an agency, saying why",
            description = "Its keys and certificate are refused with 403 until it is reactivated; 409 if it is "
                    + "already suspended.")
    @PostMapping("/{id}/suspend")
    Mono<AgencyAdministration.AgencyView> suspend(@PathVariable String id,
            @Valid @RequestBody AgencyRequests.Suspend request, ServerWebExchange exchange) {
        Caller operator = operator(exchange);
        return Blocking.call(exchange, () -> admin.suspend(id, request.reason(), operator));
    }

    @Operation(operationId = "reactivateAgency", summary = "Reactivate a suspended agency",
            description = "Its keys work again; 409 if it is not suspended.")
    @PostMapping("/{id}/reactivate")
    Mono<AgencyAdministration.AgencyView> reactivate(@PathVariable String id, ServerWebExchange exchange) {
        Caller operator = operator(exchange);
        return Blocking.call(exchange, () -> admin.reactivate(id, operator));
    }

    @Operation(operationId = "setAgencyClientCertificate", summary = "Map a client certificate subject to an agency",
            description = "With mutual TLS, a certificate with this subject, signed by the configured CA, stands "
                    + "for the agency instead of an API key.")
    @PutMapping("/{id}/client-certificate")
    Mono<AgencyAdministration.AgencyView> setClientCertificate(@PathVariable String id,
            @Valid @RequestBody AgencyRequests.ClientCertificate request, ServerWebExchange exchange) {
        Caller operator = operator(exchange);
        return Blocking.call(exchange, () -> admin.setClientCertificate(id, request.subject(), operator));
    }

    @Operation(operationId = "removeAgencyClientCertificate", summary = "Remove an agency's client certificate mapping",
            description = "The agency then authenticates with an API key only.")
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
