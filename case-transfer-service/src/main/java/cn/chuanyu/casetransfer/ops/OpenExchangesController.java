package cn.chuanyu.casetransfer.ops;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import cn.chuanyu.contracts.Role;
import cn.chuanyu.kit.agency.AgencyState;
import cn.chuanyu.kit.identity.Caller;
import cn.chuanyu.kit.web.Page;
import cn.chuanyu.kit.web.PageCursor;
import cn.chuanyu.kit.web.Paging;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Open transfers and assistance requests by deadline, across all agencies: operators only. */
@RestController
@Validated
@RequestMapping("/api/v1/ops/exchanges")
@Tag(name = "Operators", description = "Exchanges waiting on an agency")
class OpenExchangesController {

    record OpenExchange(String kind, UUID id, String fromAgency, String toAgency, AgencyState recipientState,
            String state, Instant dueAt, boolean overdue, String overdueFor) {
    }

    record OpenExchanges(List<OpenExchange> items, String nextCursor, Instant asOf) {
    }

    private final JdbcClient jdbc;
    private final Clock clock;

    OpenExchangesController(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @GetMapping
    @Transactional(readOnly = true)
    @Operation(operationId = "listOpenExchanges", summary = "Open exchanges by deadline, oldest first",
            description = "overdue=true (default): only those past their deadline; false: all still open. "
                    + "recipientState=SUSPENDED: only those waiting on a suspended agency (with overdue=false, "
                    + "every open exchange a suspension has stranded).")
    OpenExchanges list(@Parameter(hidden = true) Caller caller,
            @RequestParam(defaultValue = "true") boolean overdue,
            @RequestParam(required = false) AgencyState recipientState,
            @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String cursor) {
        caller.requireRole(Role.OPERATOR);
        int size = Paging.limit(limit);
        PageCursor after = PageCursor.decode(cursor, 2);
        Instant now = clock.instant();
        // Keyset on (due_at, id): exchanges due at the same instant are neither skipped nor repeated across pages.
        List<OpenExchange> rows = jdbc.sql("""
                select open.*, coalesce(recipient.state, 'ACTIVE') as recipient_state from (
                  select 'CASE_TRANSFER' as kind, id, from_agency, to_agency, state, decision_due_at as due_at
                  from case_transfer where state = 'SUBMITTED'
                  union all
                  select 'ASSISTANCE_REQUEST', id, from_agency, to_agency, state, due_at
                  from assistance_request where state in ('SUBMITTED', 'ACKNOWLEDGED')
                ) open
                left join agency recipient on recipient.id = open.to_agency
                where (not :overdueOnly or open.due_at < :now)
                  and (cast(:recipientState as text) is null
                    or coalesce(recipient.state, 'ACTIVE') = cast(:recipientState as text))
                  and (cast(:afterDue as timestamptz) is null or (open.due_at, open.id) > (:afterDue, :afterId))
                order by open.due_at, open.id limit :limit""")
                .param("overdueOnly", overdue)
                .param("now", Timestamp.from(now))
                .param("recipientState", recipientState == null ? null : recipientState.name())
                .param("afterDue", after == null ? null : Timestamp.from(after.instant(0)))
                .param("afterId", after == null ? null : after.uuid(1))
                .param("limit", size + 1)
                .query((rs, n) -> {
                    Instant due = rs.getTimestamp("due_at").toInstant();
                    boolean late = due.isBefore(now);
                    return new OpenExchange(rs.getString("kind"), rs.getObject("id", UUID.class),
                            rs.getString("from_agency"), rs.getString("to_agency"),
                            AgencyState.valueOf(rs.getString("recipient_state")), rs.getString("state"), due, late,
                            late ? Duration.between(due, now).withNanos(0).toString() : null);
                })
                .list();
        Page<OpenExchange> page = Paging.page(rows, size, e -> PageCursor.encode(e.dueAt(), e.id()));
        return new OpenExchanges(page.items(), page.nextCursor(), now);
    }
}
