package cn.chuanyu.evidence.relay;

import java.util.List;
import java.util.UUID;

import cn.chuanyu.contracts.Role;
import cn.chuanyu.kit.domain.NotFoundException;
import cn.chuanyu.kit.identity.Caller;
import cn.chuanyu.kit.web.InvalidParameterException;
import cn.chuanyu.kit.web.Paging;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Operators: the item fetches of replicated packages this node gave up on (FAILED), and a retry of them. Present on
 * one node too (nothing is ever FAILED there), so the API is the same in both modes.
 */
@Tag(name = "Operators",
        description = "Evidence package content the recipient's node gave up fetching from the peer node")
@RestController
@RequestMapping("/api/v1/ops/evidence-relay")
class RelayOpsController {

    record RetryResponse(UUID packageId, List<String> items) {
    }

    private final RelayRepository relay;
    private final ObjectProvider<RelayService> service;
    private final TransactionTemplate tx;

    RelayOpsController(RelayRepository relay, ObjectProvider<RelayService> service, TransactionTemplate tx) {
        this.relay = relay;
        this.service = service;
        this.tx = tx;
    }

    @GetMapping
    @Operation(operationId = "listFailedEvidenceRelays",
            summary = "Item fetches from the peer node that were given up on (FAILED)",
            description = "Two regions: the recipient's node fetches each item of a package sealed on the other node; "
                    + "content that keeps hashing to something else than the manifest is given up on and the "
                    + "recipient never sees the package. `state` must be FAILED (the default). Operators only.")
    List<RelayRepository.FailedItem> failed(Caller caller,
            @Parameter(description = "Only FAILED is listed") @RequestParam(required = false) String state,
            @Parameter(description = Paging.LIMIT_DESCRIPTION) @RequestParam(required = false) Integer limit) {
        caller.requireRole(Role.OPERATOR);
        if (state != null && !state.equals("FAILED")) {
            throw new InvalidParameterException("state", "must be FAILED");
        }
        return relay.failedItems(Paging.limit(limit));
    }

    @PostMapping("/{packageId}/retry")
    @Operation(operationId = "retryEvidenceRelay", summary = "Fetch a package's FAILED items from the peer node again",
            description = "Puts every FAILED item fetch of the package back to be fetched now (an audit entry, "
                    + "evidence.relay-retried, names the operator). 404 for a package this node does not hold (or "
                    + "on one node), 409 when none of its fetches is FAILED. Operators only.")
    RetryResponse retry(Caller caller, @PathVariable UUID packageId) {
        caller.requireRole(Role.OPERATOR);
        RelayService relays = service.getIfAvailable();
        if (relays == null) {
            throw new NotFoundException("no evidence package " + packageId + " is relayed here: this node runs as "
                    + "one region");
        }
        return new RetryResponse(packageId, tx.execute(s -> relays.retryFailed(packageId, caller.id())));
    }
}
