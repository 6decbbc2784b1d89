package cn.chuanyu.casetransfer.link;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import cn.chuanyu.contracts.Role;
import cn.chuanyu.kit.identity.Caller;
import cn.chuanyu.kit.web.Paging;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Link events held out of order on this node, per exchange: operators only. */
@RestController
@RequestMapping("/api/v1/ops/link-pending")
@Tag(name = "Operators")
class LinkPendingController {

    /**
     * @param items            the exchanges holding events, oldest first (at most {@code limit})
     * @param held             events held on this node, all exchanges
     * @param oldestAgeSeconds how long the oldest has waited (null when none)
     * @param alertAfter       how long an exchange may wait before its alert
     * @param asOf             when this was read
     */
    record LinkPending(List<HeldLinkEvents.Held> items, long held, Long oldestAgeSeconds, Duration alertAfter,
            Instant asOf) {
    }

    private final HeldLinkEvents events;
    private final Clock clock;

    LinkPendingController(HeldLinkEvents events, Clock clock) {
        this.events = events;
        this.clock = clock;
    }

    @GetMapping
    @Transactional(readOnly = true)
    @Operation(operationId = "listLinkPending", summary = "Link events held out of order, per exchange, oldest first",
            description = "Events of the peer node that arrived ahead of an earlier one of their exchange wait "
                    + "here until it arrives. Per exchange: the sender node, the seqs held and their types, the seq "
                    + "waited for, since when, and whether the alert (after alertAfter, "
                    + "chuanyu.link.pending-alert-after) was raised. Empty on one node.")
    LinkPending list(@Parameter(hidden = true) Caller caller,
            @Parameter(description = Paging.LIMIT_DESCRIPTION) @RequestParam(required = false) Integer limit) {
        caller.requireRole(Role.OPERATOR);
        int size = Paging.limit(limit);
        Instant now = clock.instant();
        HeldLinkEvents.Summary summary = events.summary();
        return new LinkPending(events.list(size, now), summary.held(), summary.oldest() == null ? null
                : Math.max(0, Duration.between(summary.oldest(), now).toSeconds()), events.alertAfter(), now);
    }
}
