package cn.chuanyu.casetransfer.webhook;

import java.net.URI;
import java.util.UUID;

import cn.chuanyu.contracts.Role;
import cn.chuanyu.kit.identity.Caller;
import cn.chuanyu.kit.web.Page;
import cn.chuanyu.kit.web.Paging;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Validated
@RequestMapping("/api/v1/webhooks")
@Tag(name = "Webhooks", description = "Inbox entries pushed to the agency's own URLs, signed and retried")
class WebhookController {

    private final WebhookService service;

    WebhookController(WebhookService service) {
        this.service = service;
    }

    @PostMapping
    @Operation(operationId = "registerWebhook",
            summary = "Register a webhook URL", description = "The HMAC secret is in this response only: a retry with "
                    + "the same Idempotency-Key answers 409 with the webhook's Location, without the secret.")
    ResponseEntity<WebhookRequests.Registered> register(@Parameter(hidden = true) Caller caller,
            @Valid @RequestBody WebhookRequests.Register request) {
        caller.requireRole(Role.AGENCY);
        WebhookRequests.Registered registered = service.register(caller, request);
        // no-store: neither an HTTP cache nor the Idempotency-Key record may keep the secret.
        return ResponseEntity.created(URI.create("/api/v1/webhooks/" + registered.id()))
                .cacheControl(CacheControl.noStore()).body(registered);
    }

    @GetMapping
    @Operation(operationId = "listWebhooks", summary = "List the caller's webhooks",
            description = "Each webhook's id, URL, description and registration time; never its secret.")
    Page<WebhookRequests.View> list(@Parameter(hidden = true) Caller caller,
            @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String cursor) {
        caller.requireRole(Role.AGENCY);
        return service.list(caller, Paging.limit(limit), cursor);
    }

    @DeleteMapping("/{id}")
    @Operation(operationId = "deleteWebhook", summary = "Delete a webhook; its pending deliveries are dropped",
            description = "The inbox keeps every entry: read it with GET /api/v1/inbox. 404 for another agency's "
                    + "webhook.")
    ResponseEntity<Void> delete(@Parameter(hidden = true) Caller caller, @PathVariable UUID id) {
        caller.requireRole(Role.AGENCY);
        service.delete(caller, id);
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/{id}/deliveries")
    @Operation(operationId = "listWebhookDeliveries",
            summary = "Recent deliveries of a webhook with their attempts, newest first",
            description = "Each delivery's event, state, attempts and last HTTP status or error: why an inbox entry "
                    + "did or did not reach the URL.")
    Page<WebhookRequests.Delivery> deliveries(@Parameter(hidden = true) Caller caller, @PathVariable UUID id,
            @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String cursor) {
        caller.requireRole(Role.AGENCY);
        return service.deliveries(caller, id, Paging.limit(limit), cursor);
    }
}
