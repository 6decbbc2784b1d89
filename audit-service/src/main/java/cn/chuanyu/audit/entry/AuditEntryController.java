package cn.chuanyu.audit.entry;

import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;

import cn.chuanyu.contracts.Role;
import cn.chuanyu.kit.identity.Caller;
import cn.chuanyu.kit.web.InvalidParameterException;
import cn.chuanyu.kit.domain.NotFoundException;
import cn.chuanyu.kit.web.Page;
import cn.chuanyu.kit.web.PageCursor;
import cn.chuanyu.kit.web.Paging;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * Search and export of the trail. Auditors and operators see every entry; an agency sees the entries it sent or
 * received (others do not exist for it: 404).
 */
@Tag(name = "Audit entries", description = "The trail of every exchange: search, read and export. "
        + "Auditors and operators see every entry; an agency sees the entries it sent or received.")
@RestController
@Validated
@RequestMapping("/api/v1/audit/entries")
class AuditEntryController {

    private final AuditEntryRepository entries;
    private final JsonMapper json;

    AuditEntryController(AuditEntryRepository entries, JsonMapper json) {
        this.entries = entries;
        this.json = json;
    }

    /** The JSON shape of a page of entries, for the API document only (the body is the kit's {@code Page}). */
    record AuditEntryPage(java.util.List<AuditEntry> items, String nextCursor) {
    }

    /**
     * Entries in sequence order, paged by the kit's rules (the cursor keys on {@code seq}). With
     * {@code Accept: text/csv} or {@code application/x-ndjson}, streams every match (from the cursor on) instead;
     * {@code limit} then does not apply.
     */
    @Operation(operationId = "searchAuditEntries", summary = "Search the audit trail, or export it as CSV or NDJSON",
            description = "Entries in sequence order, at most `limit` per page; `nextCursor` fetches the next page. "
                    + "With `Accept: text/csv` or `application/x-ndjson` every match from the cursor on is streamed "
                    + "instead and `limit` does not apply. `from` and `to` are ISO-8601 instants.",
            responses = @ApiResponse(responseCode = "200", description = "A page of entries, or the export",
                    content = {@Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                            schema = @Schema(implementation = AuditEntryPage.class)),
                            @Content(mediaType = "text/csv", schema = @Schema(type = "string")),
                            @Content(mediaType = EntryExport.NDJSON, schema = @Schema(type = "string"))}))
    @GetMapping
    ResponseEntity<?> entries(Caller caller,
            @Parameter(hidden = true) @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept,
            @RequestParam(required = false) @Size(max = 64) String exchangeId,
            @RequestParam(required = false) @Size(max = 128) String caseNumber,
            @RequestParam(required = false) @Size(max = 64) String agency,
            @RequestParam(required = false) @Size(max = 128) String type,
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to,
            @RequestParam(required = false) @Size(max = 128) String correlationId,
            @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String cursor,
            HttpServletResponse response) throws IOException {
        caller.requireRole(Role.AUDITOR, Role.OPERATOR, Role.AGENCY);
        int size = Paging.limit(limit);
        Instant fromTime = time("from", from);
        Instant toTime = time("to", to);
        if (fromTime != null && toTime != null && !toTime.isAfter(fromTime)) {
            throw new InvalidParameterException("to", "must be later than from");
        }
        EntryFilter filter = new EntryFilter(blankToNull(exchangeId), blankToNull(caseNumber), blankToNull(agency),
                blankToNull(type), fromTime, toTime, blankToNull(correlationId),
                caller.role() == Role.AGENCY ? caller.id() : null);
        long after = parseCursor(cursor);

        String format = exportFormat(accept);
        if (format != null) {
            // Written straight to the response, page by page: an export may be the whole trail.
            response.setContentType(EntryExport.CSV.equals(format) ? "text/csv;charset=UTF-8" : EntryExport.NDJSON);
            response.setCharacterEncoding("UTF-8");
            if (EntryExport.CSV.equals(format)) {
                response.setHeader(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"audit-entries.csv\"");
                EntryExport.csv(response.getOutputStream(), entries, filter, after, json);
            }
            else {
                EntryExport.ndjson(response.getOutputStream(), entries, filter, after, json);
            }
            return null;
        }
        Page<AuditEntry> page = Paging.page(entries.search(filter, after, size + 1), size,
                entry -> PageCursor.encode(entry.seq()));
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(page);
    }

    @Operation(operationId = "getAuditEntry", summary = "Read one audit entry by its sequence number",
            description = "An agency gets 404 for an entry it neither sent nor received, and the recipient of an "
                    + "evidence package for the package's entries before it is sealed.")
    @GetMapping("/{seq}")
    AuditEntry entry(Caller caller, @PathVariable long seq) {
        caller.requireRole(Role.AUDITOR, Role.OPERATOR, Role.AGENCY);
        return entries.bySeq(seq, caller.role() == Role.AGENCY ? caller.id() : null)
                .orElseThrow(() -> new NotFoundException("no audit entry with seq " + seq));
    }

    /** CSV or NDJSON only when the client names one of them; anything else (including none) gets JSON. */
    private static String exportFormat(String accept) {
        if (accept == null || accept.isBlank()) {
            return null;
        }
        List<MediaType> types;
        try {
            types = MediaType.parseMediaTypes(accept);
        }
        catch (RuntimeException ex) {
            return null;
        }
        types = new java.util.ArrayList<>(types);
        types.sort(java.util.Comparator.comparingDouble(MediaType::getQualityValue).reversed());
        for (MediaType type : types) {
            if (type.getQualityValue() == 0) {
                continue;
            }
            if (type.getType().equals("text") && type.getSubtype().equals("csv")) {
                return EntryExport.CSV;
            }
            if (type.getType().equals("application") && type.getSubtype().equals("x-ndjson")) {
                return EntryExport.NDJSON;
            }
            if (type.getType().equals("application") && type.getSubtype().equals("json")) {
                return null;
            }
        }
        return null;
    }

    private static Instant time(String parameter, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        }
        catch (DateTimeParseException ex) {
            throw new InvalidParameterException(parameter,
                    "must be an ISO-8601 date-time with offset, such as 2026-12-31T16:00:00Z");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static long parseCursor(String cursor) {
        PageCursor after = PageCursor.decode(cursor, 1);
        return after == null ? 0 : after.position(0);
    }
}
