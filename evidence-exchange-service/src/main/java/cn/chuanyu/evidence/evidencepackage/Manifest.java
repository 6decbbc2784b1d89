package cn.chuanyu.evidence.evidencepackage;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * What a seal fixes. Its canonical byte form, which is hashed and signed, is the JSON Canonicalization Scheme
 * (RFC 8785) of
 * <pre>
 * {"fromAgency":..,"items":[{"contentType":..,"name":..,"sha256":..,"size":..,"sm3":..},..],"packageId":..,
 *  "sealedAt":"2026-11-26T08:00:00.000Z","toAgency":..}
 * </pre>
 * in UTF-8: keys sorted, no whitespace, items sorted by name (UTF-16 code units, as RFC 8785 sorts keys), sizes as
 * plain integers, {@code sha256} and {@code sm3} lowercase hex, {@code sealedAt} UTC with exactly three fraction
 * digits. An item stored before SM3 was computed has no {@code sm3} key (so manifests sealed before keep their bytes).
 */
record Manifest(UUID packageId, String fromAgency, String toAgency, List<Item> items, Instant sealedAt) {

    private static final DateTimeFormatter SEALED_AT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    record Item(String name, long size, String sha256, String contentType, String sm3) {

        Item(String name, long size, String sha256, String contentType) {
            this(name, size, sha256, contentType, null);
        }
    }

    Manifest {
        items = items.stream().sorted(Comparator.comparing(Item::name)).toList();
        sealedAt = sealedAt.truncatedTo(ChronoUnit.MILLIS);
    }

    String canonicalJson() {
        StringBuilder out = new StringBuilder(256 + items.size() * 160);
        out.append("{\"fromAgency\":");
        string(out, fromAgency);
        out.append(",\"items\":[");
        for (int i = 0; i < items.size(); i++) {
            Item item = items.get(i);
            out.append(i == 0 ? "" : ",").append("{\"contentType\":");
            string(out, item.contentType());
            out.append(",\"name\":");
            string(out, item.name());
            out.append(",\"sha256\":");
            string(out, item.sha256());
            out.append(",\"size\":").append(item.size());
            if (item.sm3() != null) {
                out.append(",\"sm3\":");
                string(out, item.sm3());
            }
            out.append('}');
        }
        out.append("],\"packageId\":");
        string(out, packageId.toString());
        out.append(",\"sealedAt\":");
        string(out, SEALED_AT.format(sealedAt));
        out.append(",\"toAgency\":");
        string(out, toAgency);
        return out.append('}').toString();
    }

    byte[] canonicalBytes() {
        return canonicalJson().getBytes(StandardCharsets.UTF_8);
    }

    /** RFC 8785 (ECMAScript) string serialisation: only the mandatory escapes, everything else literal. */
    private static void string(StringBuilder out, String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    }
                    else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
