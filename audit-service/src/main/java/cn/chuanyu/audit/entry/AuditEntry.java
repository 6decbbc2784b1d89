package cn.chuanyu.audit.entry;

import java.time.Instant;
import java.util.Map;

/** One recorded event, as auditors and operators read it. */
public record AuditEntry(
        long seq,
        String eventId,
        String type,
        String source,
        String exchangeId,
        String fromAgency,
        String toAgency,
        String correlationId,
        Instant occurredAt,
        Instant recordedAt,
        Map<String, Object> data) {
}
