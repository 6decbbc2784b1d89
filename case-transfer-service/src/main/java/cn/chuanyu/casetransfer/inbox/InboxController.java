package cn.chuanyu.casetransfer.inbox;

import cn.chuanyu.contracts.Role;
import cn.chuanyu.kit.identity.Caller;
import cn.chuanyu.kit.web.InvalidParameterException;
import cn.chuanyu.kit.web.Paging;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Validated
@RequestMapping("/api/v1/inbox")
@Tag(name = "Inbox", description = "Events addressed to the calling agency, in order, resumable")
class InboxController {

    /**
     * Why the inbox pages with {@code after} and not with the {@code cursor} of every other list: a cursor marks
     * where one walk through a list stopped and is thrown away at its end (null on the last page); the inbox is a
     * feed the agency follows for good. Its nextCursor is always set, even when nothing new came, and is a position
     * in the agency's feed that stays valid forever: the client stores it and passes it as {@code after} next time
     * (after a restart too), and gets exactly what arrived since, in order.
     */
    static final String AFTER = "Your position in the feed: the nextCursor of your previous call (omit it the first "
            + "time). Unlike the cursor of other lists it never runs out: nextCursor is always set, even on an empty "
            + "page, so store it and poll with it later, across restarts on either side, and you get exactly the "
            + "entries that arrived since, in order.";

    private final Inbox inbox;

    InboxController(Inbox inbox) {
        this.inbox = inbox;
    }

    @GetMapping
    @Operation(operationId = "readInbox", summary = "Read the inbox after a cursor",
            description = "New transfers and requests addressed to the caller, and state changes of the ones it "
                    + "sent. Pass the nextCursor of the previous call as `after` (omit it the first time): no "
                    + "gaps, no repeats, across restarts on either side.")
    InboxPage read(@Parameter(hidden = true) Caller caller,
            @Parameter(description = AFTER) @RequestParam(required = false) String after,
            @RequestParam(required = false) Integer limit) {
        caller.requireRole(Role.AGENCY);
        return inbox.read(caller.id(), parseCursor(after), Paging.limit(limit));
    }

    private static long parseCursor(String after) {
        if (after == null || after.isEmpty()) {
            return 0;
        }
        try {
            long value = Long.parseLong(after);
            if (value >= 0) {
                return value;
            }
        }
        catch (NumberFormatException ignored) {
            // fall through to the problem below
        }
        throw new InvalidParameterException("after", "not a cursor returned by this API");
    }
}
