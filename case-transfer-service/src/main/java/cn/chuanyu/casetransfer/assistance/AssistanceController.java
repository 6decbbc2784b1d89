package cn.chuanyu.casetransfer.assistance;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import java.time.Instant;

import cn.chuanyu.casetransfer.exchange.Acted;
import cn.chuanyu.casetransfer.exchange.ETags;
import cn.chuanyu.casetransfer.exchange.ExchangeParameters;
import cn.chuanyu.contracts.Role;
import cn.chuanyu.kit.identity.Caller;
import cn.chuanyu.kit.node.DeliveryEvidenceNotes;
import cn.chuanyu.kit.web.Page;
import cn.chuanyu.kit.web.PageCursor;
import cn.chuanyu.kit.web.Paging;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Turns HTTP into the aggregate's commands and requests into responses; the rules live in {@link AssistanceRequest}. */
@RestController
@Validated
@RequestMapping("/api/v1/assistance-requests")
@Tag(name = "Assistance requests", description = "协作请求: investigation, service, enforcement, freezing, locating")
class AssistanceController {

    private final AssistanceService service;

    AssistanceController(AssistanceService service) {
        this.service = service;
    }

    @PostMapping
    @Operation(operationId = "submitAssistanceRequest", summary = "Ask another agency for assistance",
            description = "201 with Location and ETag. 400 names invalid fields; 422 for an unknown toAgency, a "
                    + "request to oneself, a dueAt in the past or a caseTransferId the two are not party to.")
    ResponseEntity<AssistanceResponse> submit(@Parameter(hidden = true) Caller caller,
            @Valid @RequestBody SubmitAssistanceRequest request) {
        caller.requireRole(Role.AGENCY);
        AssistanceRequest created = service.submit(new AssistanceCommands.Submit(caller.id(), request.toAgency(),
                request.type(), request.subject(), request.details(), request.caseTransferId(), request.dueAt()));
        return ResponseEntity.created(URI.create("/api/v1/assistance-requests/" + created.id()))
                .eTag(ETags.etag(created.version()))
                .body(AssistanceResponse.of(created, service.now()));
    }

    @GetMapping
    @Operation(operationId = "listAssistanceRequests", summary = "List the caller's assistance requests, newest first",
            description = "direction=incoming|outgoing (default both); state and type filter; cursor paging.")
    Page<AssistanceResponse> list(@Parameter(hidden = true) Caller caller,
            @RequestParam(required = false) String direction,
            @RequestParam(required = false) AssistanceState state,
            @RequestParam(required = false) AssistanceType type,
            @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String cursor) {
        caller.requireRole(Role.AGENCY);
        int size = Paging.limit(limit);
        PageCursor after = PageCursor.decode(cursor, 2);
        Instant now = service.now();
        return Paging.page(service.list(caller.id(), ExchangeParameters.direction(direction), state, type, after,
                size + 1), size, r -> PageCursor.encode(r.createdAt(), r.id()), r -> AssistanceResponse.of(r, now));
    }

    @GetMapping("/{id}")
    @Operation(operationId = "getAssistanceRequest",
            summary = "Read an assistance request (its two parties only; 404 for anyone else)",
            description = "The ETag is the request's version: send it as If-Match when acting on the request.")
    ResponseEntity<AssistanceResponse> get(@Parameter(hidden = true) Caller caller, @PathVariable UUID id) {
        caller.requireRole(Role.AGENCY);
        AssistanceRequest request = service.get(id, caller.id());
        return ResponseEntity.ok().eTag(ETags.etag(request.version()))
                .body(AssistanceResponse.of(request, service.now(), service.pendingAction(id).orElse(null)));
    }

    @GetMapping("/{id}/evidences")
    @Operation(operationId = "listAssistanceRequestEvidences", summary = "The request's signed delivery evidences",
            description = "SUBMISSION_ACCEPTED, RELAY_ACCEPTED, DELIVERED, RETRIEVED, RELAY_FAILED, NON_DELIVERY, in "
                    + "the order issued. Each note is a C2SP signed note by the issuing node's key (GET /api/v1/nodes "
                    + "shows it), stating the type, exchange, issuer, time and the SHA-256 of the exchange's content. "
                    + "For the two parties and auditors; 404 for anyone else.")
    List<DeliveryEvidenceNotes.Evidence> evidences(@Parameter(hidden = true) Caller caller, @PathVariable UUID id) {
        caller.requireRole(Role.AGENCY, Role.AUDITOR);
        return service.evidences(id, caller.hasRole(Role.AGENCY) ? caller.id() : null);
    }

    @PostMapping("/{id}/acknowledge")
    @Operation(operationId = "acknowledgeAssistanceRequest", summary = "Acknowledge a submitted request (recipient)",
            description = "409 naming the current state if not SUBMITTED; 403 for the requester; 404 for others; "
                    + "412 if If-Match names an older version.")
    @ApiResponse(responseCode = "200", description = "Acknowledged",
            content = @Content(schema = @Schema(implementation = AssistanceResponse.class)))
    @ApiResponse(responseCode = "202", description = "Two regions, on the recipient's node: forwarded to the node "
            + "that decides the request (the requester's); the request unchanged, with pendingAction",
            content = @Content(schema = @Schema(implementation = AssistanceResponse.class)))
    ResponseEntity<AssistanceResponse> acknowledge(@Parameter(hidden = true) Caller caller, @PathVariable UUID id,
            @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        caller.requireRole(Role.AGENCY);
        return respond(service.acknowledge(id,
                new AssistanceCommands.Acknowledge(caller.id(), ETags.expectedVersion(ifMatch))));
    }

    @PostMapping("/{id}/complete")
    @Operation(operationId = "completeAssistanceRequest",
            summary = "Complete an acknowledged request with its result (recipient)",
            description = "The result, and optionally the evidence package that carries it: one the recipient "
                    + "sealed for the requester. 422 naming evidencePackageId if no such sealed package is known "
                    + "(seals reach this service within seconds; retry if it was just sealed). 409 naming the "
                    + "current state if not ACKNOWLEDGED; 412 if If-Match names an older version.")
    @ApiResponse(responseCode = "200", description = "Completed",
            content = @Content(schema = @Schema(implementation = AssistanceResponse.class)))
    @ApiResponse(responseCode = "202", description = "Two regions, on the recipient's node: forwarded to the node "
            + "that decides the request (the requester's); the request unchanged, with pendingAction",
            content = @Content(schema = @Schema(implementation = AssistanceResponse.class)))
    ResponseEntity<AssistanceResponse> complete(@Parameter(hidden = true) Caller caller, @PathVariable UUID id,
            @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
            @Valid @RequestBody AssistanceActionRequests.Complete body) {
        caller.requireRole(Role.AGENCY);
        return respond(service.complete(id, new AssistanceCommands.Complete(caller.id(),
                ETags.expectedVersion(ifMatch), body.result(), body.evidencePackageId())));
    }

    @PostMapping("/{id}/decline")
    @Operation(operationId = "declineAssistanceRequest",
            summary = "Decline a submitted or acknowledged request with a reason (recipient)",
            description = "409 naming the current state once completed or declined; 412 if If-Match names an older "
                    + "version.")
    @ApiResponse(responseCode = "200", description = "Declined",
            content = @Content(schema = @Schema(implementation = AssistanceResponse.class)))
    @ApiResponse(responseCode = "202", description = "Two regions, on the recipient's node: forwarded to the node "
            + "that decides the request (the requester's); the request unchanged, with pendingAction",
            content = @Content(schema = @Schema(implementation = AssistanceResponse.class)))
    ResponseEntity<AssistanceResponse> decline(@Parameter(hidden = true) Caller caller, @PathVariable UUID id,
            @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
            @Valid @RequestBody AssistanceActionRequests.Decline body) {
        caller.requireRole(Role.AGENCY);
        return respond(service.decline(id, new AssistanceCommands.Decline(caller.id(),
                ETags.expectedVersion(ifMatch), body.reason())));
    }

    private ResponseEntity<AssistanceResponse> respond(Acted<AssistanceRequest> acted) {
        AssistanceRequest request = acted.exchange();
        return ResponseEntity.status(acted.forwarded() ? HttpStatus.ACCEPTED : HttpStatus.OK)
                .eTag(ETags.etag(request.version()))
                .body(AssistanceResponse.of(request, service.now(), acted.pending()));
    }
}
