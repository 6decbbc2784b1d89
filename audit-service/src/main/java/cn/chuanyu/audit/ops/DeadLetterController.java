package cn.chuanyu.audit.ops;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import cn.chuanyu.contracts.Role;
import cn.chuanyu.kit.identity.Caller;
import cn.chuanyu.kit.domain.StateConflictException;
import cn.chuanyu.kit.domain.RuleViolationException;
import cn.chuanyu.kit.web.InvalidParameterException;
import cn.chuanyu.kit.domain.NotFoundException;
import cn.chuanyu.kit.web.Page;
import cn.chuanyu.kit.web.PageCursor;
import cn.chuanyu.kit.web.Paging;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Operators browse, replay and discard dead letters. */
@Tag(name = "Operations: dead letters", description = "Messages no consumer could handle: browse, replay "
        + "or discard them (operators)")
@RestController
@Validated
@RequestMapping("/api/v1/ops/dead-letters")
class DeadLetterController {

    private static final Set<String> STATES = Set.of(DeadLetter.PENDING, DeadLetter.REPLAYED, DeadLetter.DISCARDED);
    private static final int BULK_LIMIT = 1000;

    private final DeadLetterStore store;
    private final DeadLetterReplayer replayer;

    DeadLetterController(DeadLetterStore store, DeadLetterReplayer replayer) {
        this.store = store;
        this.replayer = replayer;
    }

    record Item(UUID id, String queue, String eventId, String type, String exchangeId, String correlationId,
            String reason, int attempts, Instant deadLetteredAt, String state, String payload,
            Map<String, Object> headers, Instant actedAt, String actedBy, String discardReason) {

        static Item of(DeadLetter d) {
            return new Item(d.id(), d.queue(), d.eventId(), d.type(), d.exchangeId(), d.correlationId(), d.reason(),
                    d.attempts(), d.deadLetteredAt(), d.state(), new String(d.body(), StandardCharsets.UTF_8),
                    d.headers(), d.actedAt(), d.actedBy(), d.discardReason());
        }
    }

    /** Newest first; paged by the kit's rules (the cursor keys on the keeping order). */
    @Operation(operationId = "listDeadLetters", summary = "List dead letters, newest first",
            description = "Filtered by queue, event type, exchange id, time (`from`, `to`: ISO-8601) and state "
                    + "(PENDING, REPLAYED, DISCARDED); `nextCursor` fetches the next page.")
    @GetMapping
    Page<Item> list(Caller caller,
            @RequestParam(required = false) @Size(max = 255) String queue,
            @RequestParam(required = false) @Size(max = 128) String type,
            @RequestParam(required = false) @Size(max = 64) String exchangeId,
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to,
            @RequestParam(required = false) String state,
            @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String cursor) {
        caller.requireRole(Role.OPERATOR);
        if (state != null && !state.isBlank() && !STATES.contains(state)) {
            throw new InvalidParameterException("state", "must be one of PENDING, REPLAYED, DISCARDED");
        }
        int size = Paging.limit(limit);
        PageCursor after = PageCursor.decode(cursor, 1);
        Long before = after == null ? null : after.position(0);
        DeadLetterStore.Filter filter = new DeadLetterStore.Filter(blank(queue), blank(type), blank(exchangeId),
                time("from", from), time("to", to), blank(state), null);
        return Paging.page(store.search(filter, before, size + 1), size, d -> PageCursor.encode(d.seq()), Item::of);
    }

    @Operation(operationId = "getDeadLetter", summary = "Read one dead letter",
            description = "The message as it was dead-lettered, where it came from, why, and what became of it.")
    @GetMapping("/{id}")
    Item one(Caller caller, @PathVariable String id) {
        caller.requireRole(Role.OPERATOR);
        return store.byId(uuid(id)).map(Item::of).orElseThrow(() -> new NotFoundException("no dead letter " + id));
    }

    @Operation(operationId = "replayDeadLetter", summary = "Replay one dead letter to the queue it came from",
            description = "Only a PENDING dead letter can be replayed (409 otherwise).")
    @PostMapping("/{id}/replay")
    DeadLetterReplayer.Replayed replay(Caller caller, @PathVariable String id) {
        caller.requireRole(Role.OPERATOR);
        return replayer.replay(uuid(id), caller.id());
    }

    /** {@code ids} or a filter ({@code queue} and/or {@code type}); replays what is still PENDING. */
    record BulkReplay(List<String> ids, String queue, String type) {
    }

    record BulkResult(int replayed) {
    }

    @Operation(operationId = "replayDeadLetters", summary = "Replay many pending dead letters",
            description = "Give `ids` (at most 1000), or a `queue` and/or `type` to replay every pending match (at "
                    + "most 1000); the answer counts those replayed.")
    @PostMapping("/replay")
    BulkResult replayMany(Caller caller, @RequestBody BulkReplay request) {
        caller.requireRole(Role.OPERATOR);
        List<UUID> ids;
        if (request.ids() != null && !request.ids().isEmpty()) {
            if (request.ids().size() > BULK_LIMIT) {
                throw new RuleViolationException("ids", "at most " + BULK_LIMIT + " ids");
            }
            ids = request.ids().stream().map(DeadLetterController::uuidField).toList();
        }
        else if (blank(request.queue()) != null || blank(request.type()) != null) {
            ids = store.pendingIds(blank(request.queue()), blank(request.type()), BULK_LIMIT);
        }
        else {
            throw new RuleViolationException("ids", "give ids, or a queue and/or type to replay every pending match");
        }
        int replayed = 0;
        for (UUID id : ids) {
            try {
                replayer.replay(id, caller.id());
                replayed++;
            }
            catch (StateConflictException | NotFoundException ex) {
                // Already replayed or discarded, or never existed: not counted.
            }
        }
        return new BulkResult(replayed);
    }

    @Operation(operationId = "discardDeadLetter", summary = "Discard a dead letter, saying why",
            description = "The dead letter is kept for the record, marked DISCARDED with the operator and `reason` "
                    + "(required), and is never replayed.")
    @DeleteMapping("/{id}")
    DeadLetterReplayer.Discarded discard(Caller caller, @PathVariable String id,
            @RequestParam(required = false) @Size(max = 1000) String reason) {
        caller.requireRole(Role.OPERATOR);
        if (reason == null || reason.isBlank()) {
            throw new InvalidParameterException("reason", "is required: say why the message is discarded");
        }
        return replayer.discard(uuid(id), caller.id(), reason.strip());
    }

    private static UUID uuid(String id) {
        try {
            return UUID.fromString(id);
        }
        catch (IllegalArgumentException ex) {
            throw new NotFoundException("no dead letter " + id);
        }
    }

    private static UUID uuidField(String id) {
        try {
            return UUID.fromString(id);
        }
        catch (IllegalArgumentException | NullPointerException ex) {
            throw new RuleViolationException("ids", "not a dead-letter id: " + id);
        }
    }

    static String blank(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    static Instant time(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        }
        catch (DateTimeParseException ex) {
            throw new InvalidParameterException(name, "must be an ISO-8601 date-time with offset");
        }
    }
}
