package cn.chuanyu.audit.log;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import cn.chuanyu.audit.Rfc9162;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CanonicalEntryTest {

    private static final String ENVELOPE = """
            {"id":"e-1","source":"case-transfer-service","type":"case-transfer.submitted","subject":"x-1",
             "time":"2026-11-26T03:18:05.219329Z","correlationId":"corr-1","fromAgency":"sc-a","toAgency":null,
             "data":{"title":"合同 \\"纠纷\\"\\n","caseNumber":"(2026)川01民初7号","amount":12.50,"n":7,
                     "nested":{"b":[1,true,null],"a":"\\u0001"}}}""";

    private static EntryRecord record() {
        return new EntryRecord(42, "e-1", "case-transfer.submitted", "case-transfer-service", "x-1", "sc-a", null,
                "corr-1", Instant.parse("2026-11-26T03:18:05.219329Z"), Instant.parse("2026-11-26T03:18:06Z"),
                "case-transfer-service", 7L, ENVELOPE);
    }

    @Test
    void theBytesAreTheDocumentedFixedOrderJson() {
        String canonical = new String(CanonicalEntry.bytes(record()), StandardCharsets.UTF_8);

        assertThat(canonical).isEqualTo("{\"v\":1,\"seq\":42,\"eventId\":\"e-1\",\"type\":\"case-transfer.submitted\","
                + "\"source\":\"case-transfer-service\",\"exchangeId\":\"x-1\",\"fromAgency\":\"sc-a\","
                + "\"toAgency\":null,\"correlationId\":\"corr-1\",\"occurredAt\":\"2026-11-26T03:18:05.219329Z\","
                + "\"recordedAt\":\"2026-11-26T03:18:06.000000Z\",\"producer\":\"case-transfer-service\","
                + "\"producerSeq\":7,\"data\":{\"amount\":12.50,\"caseNumber\":\"(2026)川01民初7号\",\"n\":7,"
                + "\"nested\":{\"a\":\"\\u0001\",\"b\":[1,true,null]},\"title\":\"合同 \\\"纠纷\\\"\\n\"}}");
        assertThat(CanonicalEntry.leafHash(record()))
                .isEqualTo(Rfc9162.leaf(canonical.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void memberOrderAndWhitespaceOfTheStoredEnvelopeDoNotMatter() {
        EntryRecord reordered = new EntryRecord(42, "e-1", "case-transfer.submitted", "case-transfer-service", "x-1",
                "sc-a", null, "corr-1", Instant.parse("2026-11-26T03:18:05.219329Z"),
                Instant.parse("2026-11-26T03:18:06Z"), "case-transfer-service", 7L, """
                {"data":{"nested":{"a":"\\u0001","b":[1,true,null]},"n":7,"amount":12.50,
                 "caseNumber":"(2026)川01民初7号","title":"合同 \\"纠纷\\"\\n"},"id":"e-1"}""");

        assertThat(CanonicalEntry.bytes(reordered)).isEqualTo(CanonicalEntry.bytes(record()));
    }

    @Test
    void anyChangeToTheEntryChangesTheLeaf() {
        EntryRecord changed = new EntryRecord(42, "e-1", "case-transfer.accepted", "case-transfer-service", "x-1",
                "sc-a", null, "corr-1", Instant.parse("2026-11-26T03:18:05.219329Z"),
                Instant.parse("2026-11-26T03:18:06Z"), "case-transfer-service", 7L, ENVELOPE);

        assertThat(CanonicalEntry.leafHash(changed)).isNotEqualTo(CanonicalEntry.leafHash(record()));
    }

    @Test
    void theEnvelopeIsCheckedAgainstTheColumns() {
        assertThat(CanonicalEntry.disagreements(record())).isEmpty();
        EntryRecord retyped = new EntryRecord(42, "e-1", "case-transfer.accepted", "case-transfer-service", "x-1",
                "sc-a", "cq-b", "corr-1", Instant.parse("2026-11-26T03:18:05.219329Z"),
                Instant.parse("2026-11-26T03:18:06Z"), "case-transfer-service", 7L, ENVELOPE);
        assertThat(CanonicalEntry.disagreements(retyped)).containsExactly("type", "toAgency");
    }
}
