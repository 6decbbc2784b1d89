package cn.chuanyu.evidence.evidencepackage;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ManifestTest {

    @Test
    void theCanonicalFormIsJcsWithItemsSortedByName() {
        UUID id = UUID.fromString("0b6f1f5e-8f4e-4a57-9d49-6c0f4a1b2c3d");
        Manifest manifest = new Manifest(id, "sc-chengdu-intermediate-court", "cq-first-intermediate-court", List.of(
                new Manifest.Item("录像.mp4", 2147483648L, "b".repeat(64), "video/mp4"),
                new Manifest.Item("a \"quoted\"\\name\t.txt", 0, "a".repeat(64), "text/plain")),
                Instant.parse("2026-11-26T08:00:00.123456Z"));

        assertThat(manifest.canonicalJson()).isEqualTo("{\"fromAgency\":\"sc-chengdu-intermediate-court\",\"items\":["
                + "{\"contentType\":\"text/plain\",\"name\":\"a \\\"quoted\\\"\\\\name\\t.txt\",\"sha256\":\""
                + "a".repeat(64) + "\",\"size\":0},"
                + "{\"contentType\":\"video/mp4\",\"name\":\"录像.mp4\",\"sha256\":\"" + "b".repeat(64)
                + "\",\"size\":2147483648}],"
                + "\"packageId\":\"0b6f1f5e-8f4e-4a57-9d49-6c0f4a1b2c3d\",\"sealedAt\":\"2026-11-26T08:00:00.123Z\","
                + "\"toAgency\":\"cq-first-intermediate-court\"}");
    }

    @Test
    void wholeSecondsStillCarryThreeFractionDigits() {
        Manifest manifest = new Manifest(UUID.randomUUID(), "a-a", "b-b", List.of(),
                Instant.parse("2026-11-26T08:00:00Z"));
        assertThat(manifest.canonicalJson()).contains("\"sealedAt\":\"2026-11-26T08:00:00.000Z\"");
    }
}
