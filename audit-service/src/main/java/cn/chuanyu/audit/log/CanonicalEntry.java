package cn.chuanyu.audit.log;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The canonical bytes of an audit entry, i.e. the "entry bytes" its Merkle leaf hashes:
 * leaf hash = SHA-256(0x00 || bytes). Version 1 is the UTF-8 of one JSON object with exactly these members in
 * exactly this order, without whitespace:
 * <pre>
 * {"v":1,"seq":&lt;int&gt;,"eventId":&lt;str&gt;,"type":&lt;str&gt;,"source":&lt;str&gt;,"exchangeId":&lt;str&gt;,
 *  "fromAgency":&lt;str|null&gt;,"toAgency":&lt;str|null&gt;,"correlationId":&lt;str|null&gt;,
 *  "occurredAt":&lt;time&gt;,"recordedAt":&lt;time&gt;,"producer":&lt;str|null&gt;,"producerSeq":&lt;int|null&gt;,
 *  "data":&lt;canonical JSON of the event's data&gt;}
 * </pre>
 * Times are UTC with exactly six fraction digits ({@code 2026-11-26T03:18:05.219329Z}); integers are plain
 * decimal; strings and the data object follow {@link CanonicalJson}'s rules (sorted keys, minimal escaping,
 * numbers verbatim). The API returns these bytes base64-encoded as {@code canonical} with every entry.
 */
public final class CanonicalEntry {

    public static final int VERSION = 1;

    private static final DateTimeFormatter TIME = DateTimeFormatter
            .ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);

    private CanonicalEntry() {
    }

    public static byte[] bytes(EntryRecord e) {
        return bytes(e, envelope(e.envelope()));
    }

    /** The leaf hash and the envelope's disagreements with the columns, from one parse of the envelope. */
    record Check(byte[] leafHash, List<String> disagreements) {
    }

    static Check check(EntryRecord e) {
        Map<?, ?> env = envelope(e.envelope());
        return new Check(MerkleHashes.leafHash(bytes(e, env)), disagreements(e, env));
    }

    private static byte[] bytes(EntryRecord e, Map<?, ?> env) {
        StringBuilder out = new StringBuilder(512);
        out.append("{\"v\":").append(VERSION);
        out.append(",\"seq\":").append(e.seq());
        member(out, "eventId", e.eventId());
        member(out, "type", e.type());
        member(out, "source", e.source());
        member(out, "exchangeId", e.exchangeId());
        member(out, "fromAgency", e.fromAgency());
        member(out, "toAgency", e.toAgency());
        member(out, "correlationId", e.correlationId());
        member(out, "occurredAt", time(e.occurredAt()));
        member(out, "recordedAt", time(e.recordedAt()));
        member(out, "producer", e.producer());
        out.append(",\"producerSeq\":").append(e.producerSeq() == null ? "null" : e.producerSeq().toString());
        out.append(",\"data\":");
        Object data = env.get("data");
        CanonicalJson.write(data == null ? Map.of() : data, out);
        out.append('}');
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] leafHash(EntryRecord e) {
        return MerkleHashes.leafHash(bytes(e));
    }

    /** The time as it appears in the leaf; PostgreSQL keeps microseconds, so nothing finer exists. */
    public static String time(Instant instant) {
        return TIME.format(instant.truncatedTo(ChronoUnit.MICROS));
    }

    /**
     * Where the stored envelope disagrees with the stored columns (which the leaf is built from), e.g. after an
     * edit by hand; empty when they agree.
     */
    public static List<String> disagreements(EntryRecord e) {
        return disagreements(e, envelope(e.envelope()));
    }

    private static List<String> disagreements(EntryRecord e, Map<?, ?> env) {
        List<String> out = new ArrayList<>();
        compare(out, "id", env.get("id"), e.eventId());
        compare(out, "type", env.get("type"), e.type());
        compare(out, "source", env.get("source"), e.source());
        compare(out, "subject", env.get("subject"), e.exchangeId());
        compare(out, "correlationId", env.get("correlationId"), e.correlationId());
        compare(out, "fromAgency", env.get("fromAgency"), e.fromAgency());
        compare(out, "toAgency", env.get("toAgency"), e.toAgency());
        Object time = env.get("time");
        try {
            if (!(time instanceof String s) || !time(Instant.parse(s)).equals(time(e.occurredAt()))) {
                out.add("time");
            }
        }
        catch (RuntimeException ex) {
            out.add("time");
        }
        return out;
    }

    private static void compare(List<String> out, String field, Object inEnvelope, String column) {
        Object normalized = inEnvelope == CanonicalJson.NULL ? null : inEnvelope;
        if (!Objects.equals(normalized, column)) {
            out.add(field);
        }
    }

    private static Map<?, ?> envelope(String json) {
        Object parsed = CanonicalJson.parse(json);
        if (!(parsed instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("stored envelope is not a JSON object");
        }
        return map;
    }

    private static void member(StringBuilder out, String name, String value) {
        out.append(",\"").append(name).append("\":");
        if (value == null) {
            out.append("null");
        }
        else {
            CanonicalJson.writeString(value, out);
        }
    }
}
