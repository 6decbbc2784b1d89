package cn.chuanyu.casetransfer.transfer;

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

/** Turns HTTP into the aggregate's commands and transfers into responses; the rules live in {@link CaseTransfer}. */
@RestController
@Validated
@RequestMapping("/api/v1/case-transfers")
@Tag(name = "Case transfers", description = "案件移送: a case handed from one agency to another")
class TransferController {

    private final TransferService service;

    TransferController(TransferService service) {
        this.service = service;
    }

    @PostMapping
    @Operation(operationId = "submitCaseTransfer", summary = "Transfer a case to another agency",
            description = "201 with Location and ETag. 400 names invalid fields; 422 for an unknown toAgency, a "
                    + "transfer to oneself or a decisionDueAt in the past; 413 over the body limit. Send an "
                    + "Idempotency-Key to make retries safe.")
    ResponseEntity<TransferResponse> submit(@Parameter(hidden = true) Caller caller,
            @Valid @RequestBody SubmitTransferRequest request) {
        caller.requireRole(Role.AGENCY);
        CaseTransfer transfer = service.submit(new TransferCommands.Submit(caller.id(), request.toAgency(),
                request.caseNumber(), request.title(), request.caseType(), request.reason(), request.summary(),
                request.decisionDueAt()));
        return ResponseEntity.created(URI.create("/api/v1/case-transfers/" + transfer.id()))
                .eTag(ETags.etag(transfer.version()))
                .body(TransferResponse.of(transfer, service.now()));
    }

    @GetMapping
    @Operation(operationId = "listCaseTransfers", summary = "List the caller's transfers, newest first",
            description = "direction=incoming|outgoing (default both); state and caseType filter; cursor paging.")
    Page<TransferResponse> list(@Parameter(hidden = true) Caller caller,
            @RequestParam(required = false) String direction,
            @RequestParam(required = false) TransferState state,
            @RequestParam(required = false) CaseType caseType,
            @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String cursor) {
        caller.requireRole(Role.AGENCY);
        int size = Paging.limit(limit);
        PageCursor after = PageCursor.decode(cursor, 2);
        Instant now = service.now();
        return Paging.page(service.list(caller.id(), ExchangeParameters.direction(direction), state, caseType, after,
                size + 1), size, t -> PageCursor.encode(t.createdAt(), t.id()), t -> TransferResponse.of(t, now));
    }

    @GetMapping("/{id}")
    @Operation(operationId = "getCaseTransfer",
            summary = "Read a transfer (sender and recipient only; 404 for anyone else)",
            description = "The ETag is the transfer's version: send it as If-Match when acting on the transfer.")
    ResponseEntity<TransferResponse> get(@Parameter(hidden = true) Caller caller, @PathVariable UUID id) {
        caller.requireRole(Role.AGENCY);
        CaseTransfer transfer = service.get(id, caller.id());
        return ResponseEntity.ok().eTag(ETags.etag(transfer.version()))
                .body(TransferResponse.of(transfer, service.now(), service.pendingAction(id).orElse(null)));
    }

    @GetMapping("/{id}/evidences")
    @Operation(operationId = "listCaseTransferEvidences", summary = "The transfer's signed delivery evidences",
            description = "SUBMISSION_ACCEPTED, RELAY_ACCEPTED, DELIVERED, RETRIEVED, RELAY_FAILED, NON_DELIVERY, in "
                    + "the order issued. Each note is a C2SP signed note by the issuing node's key (GET /api/v1/nodes "
                    + "shows it), stating the type, exchange, issuer, time and the SHA-256 of the exchange's content. "
                    + "For the two parties and auditors; 404 for anyone else.")
    List<DeliveryEvidenceNotes.Evidence> evidences(@Parameter(hidden = true) Caller caller, @PathVariable UUID id) {
        caller.requireRole(Role.AGENCY, Role.AUDITOR);
        return service.evidences(id, caller.hasRole(Role.AGENCY) ? caller.id() : null);
    }

    @PostMapping("/{id}/accept")
    @Operation(operationId = "acceptCaseTransfer", summary = "Accept a submitted transfer (recipient)",
            description = "409 naming the current state if not SUBMITTED; 403 for the sender; 404 for others; "
                    + "412 if If-Match names an older version. Two regions: on the recipient's node the transfer is "
                    + "a replica, decided by the sender's node: 202 with the transfer unchanged and pendingAction; "
                    + "the outcome follows (or case-transfer.action-refused in the inbox).")
    @ApiResponse(responseCode = "200", description = "Accepted",
            content = @Content(schema = @Schema(implementation = TransferResponse.class)))
    @ApiResponse(responseCode = "202", description = "Forwarded to the node that decides the transfer",
            content = @Content(schema = @Schema(implementation = TransferResponse.class)))
    ResponseEntity<TransferResponse> accept(@Parameter(hidden = true) Caller caller, @PathVariable UUID id,
            @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
            @Valid @RequestBody(required = false) TransferActionRequests.Accept body) {
        caller.requireRole(Role.AGENCY);
        return respond(service.accept(id, new TransferCommands.Accept(caller.id(), ETags.expectedVersion(ifMatch),
                body == null ? null : body.note())));
    }

    @PostMapping("/{id}/reject")
    @Operation(operationId = "rejectCaseTransfer", summary = "Reject a submitted transfer with a reason (recipient)",
            description = "409 naming the current state if not SUBMITTED; 403 for the sender; 404 for others; "
                    + "412 if If-Match names an older version. Two regions: 202 with pendingAction on the "
                    + "recipient's node, as for accept.")
    @ApiResponse(responseCode = "200", description = "Rejected",
            content = @Content(schema = @Schema(implementation = TransferResponse.class)))
    @ApiResponse(responseCode = "202", description = "Forwarded to the node that decides the transfer",
            content = @Content(schema = @Schema(implementation = TransferResponse.class)))
    ResponseEntity<TransferResponse> reject(@Parameter(hidden = true) Caller caller, @PathVariable UUID id,
            @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
            @Valid @RequestBody TransferActionRequests.Reject body) {
        caller.requireRole(Role.AGENCY);
        return respond(service.reject(id, new TransferCommands.Reject(caller.id(), ETags.expectedVersion(ifMatch),
                body.reason())));
    }

    @PostMapping("/{id}/withdraw")
    @Operation(operationId = "withdrawCaseTransfer", summary = "Withdraw a transfer not yet decided (sender)",
            description = "409 naming the current state once the recipient has decided; 403 for the recipient; 404 "
                    + "for others; 412 if If-Match names an older version.")
    ResponseEntity<TransferResponse> withdraw(@Parameter(hidden = true) Caller caller, @PathVariable UUID id,
            @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
            @Valid @RequestBody TransferActionRequests.Withdraw body) {
        caller.requireRole(Role.AGENCY);
        return respond(service.withdraw(id, new TransferCommands.Withdraw(caller.id(),
                ETags.expectedVersion(ifMatch), body.reason())));
    }

    private ResponseEntity<TransferResponse> respond(Acted<CaseTransfer> acted) {
        CaseTransfer transfer = acted.exchange();
        return ResponseEntity.status(acted.forwarded() ? HttpStatus.ACCEPTED : HttpStatus.OK)
                .eTag(ETags.etag(transfer.version()))
                .body(TransferResponse.of(transfer, service.now(), acted.pending()));
    }
}
