package cn.chuanyu.audit.entry;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import tools.jackson.databind.json.JsonMapper;

/**
 * Streams every matching entry as CSV (RFC 4180) or NDJSON, reading page by page, so an export of the whole trail
 * needs neither a long transaction nor the trail in memory.
 */
final class EntryExport {

    static final String CSV = "text/csv";
    static final String NDJSON = "application/x-ndjson";

    private static final int PAGE = 1000;
    private static final String CSV_HEADER = "seq,leafIndex,eventId,type,source,exchangeId,fromAgency,toAgency,"
            + "correlationId,occurredAt,recordedAt,producer,producerSeq,leafHash,data\r\n";

    private EntryExport() {
    }

    static void csv(OutputStream out, AuditEntryRepository entries, EntryFilter filter, long after,
            JsonMapper json) throws IOException {
        stream(out, entries, filter, after, CSV_HEADER, (entry, w) -> {
            w.write(String.join(",", field(entry.seq()), field(entry.leafIndex()), field(entry.eventId()),
                    field(entry.type()), field(entry.source()), field(entry.exchangeId()),
                    field(entry.fromAgency()), field(entry.toAgency()), field(entry.correlationId()),
                    field(entry.occurredAt()), field(entry.recordedAt()), field(entry.producer()),
                    field(entry.producerSeq()), field(entry.leafHash()),
                    field(entry.data() == null ? null : json.writeValueAsString(entry.data()))));
            w.write("\r\n");
        });
    }

    static void ndjson(OutputStream out, AuditEntryRepository entries, EntryFilter filter, long after,
            JsonMapper json) throws IOException {
        stream(out, entries, filter, after, "", (entry, w) -> {
            w.write(json.writeValueAsString(entry));
            w.write("\n");
        });
    }

    private interface Line {
        void write(AuditEntry entry, Writer out) throws IOException;
    }

    private static void stream(OutputStream out, AuditEntryRepository entries, EntryFilter filter, long after,
            String header, Line line) throws IOException {
        Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        w.write(header);
        long cursor = after;
        while (true) {
            List<AuditEntry> page = entries.search(filter, cursor, PAGE);
            for (AuditEntry entry : page) {
                line.write(entry, w);
            }
            w.flush();
            if (page.size() < PAGE) {
                break;
            }
            cursor = page.get(page.size() - 1).seq();
        }
        w.flush();
    }

    /**
     * One CSV field: quoted when it holds a comma, quote or line break; empty for null. Text starting with a
     * character a spreadsheet reads as a formula (= + - @, tab, CR) gets a leading single quote (OWASP CSV
     * injection): event data comes from the agencies, and an auditor opens the export in a spreadsheet.
     */
    static String field(Object value) {
        if (value == null) {
            return "";
        }
        String s = value.toString();
        if (!(value instanceof Number) && !s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0) {
            s = "'" + s;
        }
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}
