package cn.chuanyu.audit.entry;

import java.util.List;

import cn.chuanyu.contracts.Role;
import cn.chuanyu.kit.domain.NotFoundException;
import cn.chuanyu.kit.identity.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Size;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Validated
@RequestMapping("/api/v1/audit/exchanges")
@Tag(name = "Audit entries")
class ExchangeHistoryController {

    private final AuditEntryRepository entries;

    ExchangeHistoryController(AuditEntryRepository entries) {
        this.entries = entries;
    }

    @Operation(operationId = "getExchangeHistory", summary = "One exchange's entries in commit order",
            description = "Every entry of the exchange, each producer's in the order it committed them "
                    + "(`producerSeq`), not the order they reached the trail: an event re-sent after a broker "
                    + "restart can arrive late. At most " + ExchangeHistory.MAX_ENTRIES + " entries "
                    + "(`truncated` says when there are more). An agency gets 404 unless it sent or received "
                    + "an entry of the exchange, and sees only those entries.")
    @GetMapping("/{exchangeId}")
    ExchangeHistory history(Caller caller, @PathVariable @Size(max = 64) String exchangeId) {
        caller.requireRole(Role.AUDITOR, Role.OPERATOR, Role.AGENCY);
        String visibleTo = caller.role() == Role.AGENCY ? caller.id() : null;
        List<AuditEntry> found = entries.ofExchange(exchangeId, visibleTo, ExchangeHistory.MAX_ENTRIES + 1);
        if (found.isEmpty()) {
            throw new NotFoundException("no audit entries for exchange " + exchangeId);
        }
        boolean truncated = found.size() > ExchangeHistory.MAX_ENTRIES;
        List<AuditEntry> kept = truncated ? found.subList(0, ExchangeHistory.MAX_ENTRIES) : found;
        return new ExchangeHistory(exchangeId, ExchangeHistory.inProducerOrder(kept), truncated);
    }
}
