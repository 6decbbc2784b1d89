package cn.chuanyu.audit.entry;

import java.time.Instant;
import java.util.Map;

/**
 * One recorded event, as auditors, operators and the agencies party to it read it.
 *
 * @param seq         the entry's number in the trail
 * @param leafIndex   its leaf in the Merkle log (seq - 1 for every entry recorded since the log existed)
 * @param producer    the producer that numbered the event ({@code cy-producer}), if any
 * @param producerSeq the producer's number of the event ({@code cy-producer-seq}), if any
 * @param leafHash    SHA-256(0x00 || canonical), lowercase hex, as stored in the log
 * @param canonical   base64 of the entry's canonical bytes (see {@code CanonicalEntry}): what the leaf hashes,
 *                    recomputed from the stored entry
 */
public record AuditEntry(
        long seq,
        Long leafIndex,
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
        Map<String, Object> data,
        String leafHash,
        String canonical) {
}
