package cn.chuanyu.gateway.identity;

import java.net.URI;

import cn.chuanyu.contracts.Role;
import cn.chuanyu.gateway.edge.Blocking;
import cn.chuanyu.kit.identity.AccessDeniedException;
import cn.chuanyu.kit.identity.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** Operators issue, list and revoke the API keys of operators and auditors; every action is audited. */
@Tag(name = "Operator and auditor keys", description = "Operators issue, list and revoke the API keys of operators "
        + "and auditors. The last active operator key cannot be revoked. Every action is audited.")
@RestController
@RequestMapping("/api/v1/admin/staff")
class StaffKeyController {

    private final StaffKeyAdministration admin;

    StaffKeyController(StaffKeyAdministration admin) {
        this.admin = admin;
    }

    @Operation(operationId = "getStaffKeys", summary = "Read an operator or auditor with its keys",
            description = "Key ids, states and dates; never the keys. 404 for an agency or an unknown id.")
    @GetMapping("/{id}")
    Mono<StaffKeyAdministration.StaffView> get(@PathVariable String id, ServerWebExchange exchange) {
        operator(exchange);
        return Blocking.call(exchange, () -> admin.get(id));
    }

    @Operation(operationId = "issueStaffKey", summary = "Issue an API key for an operator or auditor",
            description = "The key is in this response only (Cache-Control: no-store): it is not stored, so it "
                    + "cannot be shown again. `expiresAt` is optional.")
    @PostMapping("/{id}/keys")
    Mono<ResponseEntity<AgencyAdministration.IssuedKeyView>> issueKey(@PathVariable String id,
            @RequestBody(required = false) AgencyRequests.IssueKey request, ServerWebExchange exchange) {
        Caller operator = operator(exchange);
        return Blocking.call(exchange, () -> admin.issueKey(id, request == null ? null : request.expiresAt(),
                        operator))
                .map(key -> ResponseEntity.created(URI.create("/api/v1/admin/staff/" + id + "/keys/" + key.id()))
                        .cacheControl(CacheControl.noStore())
                        .body(key));
    }

    @Operation(operationId = "revokeStaffKey", summary = "Revoke an operator's or auditor's API key",
            description = "At once on this gateway, on the others within 30 s; the key then gets 401. 409 for the "
                    + "last active operator key.")
    @DeleteMapping("/{id}/keys/{keyId}")
    Mono<ResponseEntity<Void>> revokeKey(@PathVariable String id, @PathVariable String keyId,
            ServerWebExchange exchange) {
        Caller operator = operator(exchange);
        return Blocking.call(exchange, () -> {
            admin.revokeKey(id, keyId, operator);
            return Boolean.TRUE;
        }).thenReturn(ResponseEntity.noContent().build());
    }

    private static Caller operator(ServerWebExchange exchange) {
        Caller caller = exchange.getAttribute(Caller.REQUEST_ATTRIBUTE);
        if (caller == null) {
            throw new AccessDeniedException("the admin API needs an operator's key");
        }
        return caller.requireRole(Role.OPERATOR);
    }
}
