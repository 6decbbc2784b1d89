package cn.chuanyu.audit.log;

import java.time.Instant;

/**
 * An audit entry as stored: the columns of {@code audit_entry}. Its leaf bytes are a function of exactly these
 * values (see {@link CanonicalEntry}), so anyone holding a stored row can recompute its leaf hash.
 *
 * @param envelope the event's JSON envelope as stored; only its {@code data} member goes into the leaf, the
 *                 other fields come from the columns (and {@code verify} checks that the two agree)
 */
public record EntryRecord(
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
        String producer,
        Long producerSeq,
        String envelope) {
}
