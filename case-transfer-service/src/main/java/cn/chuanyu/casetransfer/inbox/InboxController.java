package cn.chuanyu.casetransfer.inbox;

import cn.chuanyu.contracts.Role;
import cn.chuanyu.kit.identity.Caller;
import cn.chuanyu.kit.web.InvalidParameterException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
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
            @RequestParam(required = false) String after,
            @RequestParam(defaultValue = "100") @Min(1) @Max(500) int limit) {
        caller.requireRole(Role.AGENCY);
        return inbox.read(caller.id(), parseCursor(after), limit);
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
