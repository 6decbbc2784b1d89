package cn.chuanyu.casetransfer.ops;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import cn.chuanyu.contracts.Role;
import cn.chuanyu.kit.identity.Caller;
import cn.chuanyu.kit.web.InvalidParameterException;
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

/** Webhook deliveries of every agency, newest first, so operators see what is failing where: operators only. */
@RestController
@Validated
@RequestMapping("/api/v1/ops/webhook-deliveries")
@Tag(name = "Operators")
class WebhookDeliveriesController {

    record DeliveryView(UUID id, String agencyId, UUID webhookId, String url, String eventId, String eventType,
            String state, int attempts, Integer lastStatus, String lastError, Instant createdAt,
            Instant nextAttemptAt, Instant deliveredAt) {
    }

    private final JdbcClient jdbc;

    WebhookDeliveriesController(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @GetMapping
    @Transactional(readOnly = true)
    @Operation(operationId = "listWebhookDeliveriesAcrossAgencies",
            summary = "Recent webhook deliveries across agencies, with their attempts and last error",
            description = "Newest first; `state` (PENDING, DELIVERED, FAILED) and `agency` filter. Operators only: "
                    + "`lastError` is the full reason (refused address and its range, connect error), which the "
                    + "agency's own view replaces with `delivery failed`.")
    Page<DeliveryView> list(@Parameter(hidden = true) Caller caller,
            @RequestParam(required = false) String state,
            @RequestParam(required = false) String agency,
            @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String cursor) {
        caller.requireRole(Role.OPERATOR);
        if (state != null && !List.of("PENDING", "DELIVERED", "FAILED").contains(state)) {
            throw new InvalidParameterException("state", "must be PENDING, DELIVERED or FAILED");
        }
        int size = Paging.limit(limit);
        PageCursor before = PageCursor.decode(cursor, 2);
        List<DeliveryView> rows = jdbc.sql("""
                select d.id, d.agency_id, d.webhook_id, w.url, d.event_id, d.event_type, d.state, d.attempts,
                  d.last_status, coalesce(d.last_error_detail, d.last_error) as last_error, d.created_at,
                  d.next_attempt_at, d.delivered_at
                from webhook_delivery d join webhook w on w.id = d.webhook_id
                where (cast(:state as text) is null or d.state = :state)
                  and (cast(:agency as text) is null or d.agency_id = :agency)
                  and (cast(:beforeTime as timestamptz) is null or (d.created_at, d.id) < (:beforeTime, :beforeId))
                order by d.created_at desc, d.id desc limit :limit""")
                .param("state", state)
                .param("agency", agency)
                .param("beforeTime", before == null ? null : Timestamp.from(before.instant(0)))
                .param("beforeId", before == null ? null : before.uuid(1))
                .param("limit", size + 1)
                .query((rs, n) -> {
                    int status = rs.getInt("last_status");
                    Integer lastStatus = rs.wasNull() ? null : status;
                    Timestamp delivered = rs.getTimestamp("delivered_at");
                    return new DeliveryView(rs.getObject("id", UUID.class), rs.getString("agency_id"),
                            rs.getObject("webhook_id", UUID.class), rs.getString("url"), rs.getString("event_id"),
                            rs.getString("event_type"), rs.getString("state"), rs.getInt("attempts"), lastStatus,
                            rs.getString("last_error"), rs.getTimestamp("created_at").toInstant(),
                            rs.getTimestamp("next_attempt_at").toInstant(),
                            delivered == null ? null : delivered.toInstant());
                })
                .list();
        return Paging.page(rows, size, d -> PageCursor.encode(d.createdAt(), d.id()));
    }
}
