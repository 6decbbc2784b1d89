package cn.chuanyu.audit.entry;

import java.util.List;

import cn.chuanyu.contracts.Role;
import cn.chuanyu.kit.identity.Caller;
import cn.chuanyu.kit.web.InvalidParameterException;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Validated
@RequestMapping("/api/v1/audit")
class AuditEntryController {

    private final AuditEntryRepository entries;

    AuditEntryController(AuditEntryRepository entries) {
        this.entries = entries;
    }

    /** Entries in sequence order; the cursor is the last {@code seq} of the previous page. */
    @GetMapping("/entries")
    AuditEntryPage entries(Caller caller,
            @RequestParam(required = false) @Size(max = 64) String exchangeId,
            @RequestParam(defaultValue = "50") @Min(1) @Max(500) int limit,
            @RequestParam(required = false) String cursor) {
        caller.requireRole(Role.AUDITOR, Role.OPERATOR);
        long after = parseCursor(cursor);
        List<AuditEntry> page = entries.page(exchangeId, after, limit + 1);
        boolean more = page.size() > limit;
        List<AuditEntry> items = more ? page.subList(0, limit) : page;
        String next = more ? Long.toString(items.get(items.size() - 1).seq()) : null;
        return new AuditEntryPage(items, next);
    }

    private static long parseCursor(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return 0;
        }
        try {
            long value = Long.parseLong(cursor);
            if (value < 0) {
                throw new NumberFormatException();
            }
            return value;
        }
        catch (NumberFormatException ex) {
            throw new InvalidParameterException("cursor", "not a cursor returned by this API");
        }
    }
}
