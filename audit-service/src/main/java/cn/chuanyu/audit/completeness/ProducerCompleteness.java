package cn.chuanyu.audit.completeness;

import java.util.List;

/**
 * What the audit trail holds of one producer's numbered events.
 *
 * @param producer     the producing service (the {@code cy-producer} header)
 * @param lastSeq      the highest number received
 * @param received     how many distinct numbers were received
 * @param missingCount how many numbers between 1 and {@code lastSeq} never arrived
 * @param missing      those numbers as inclusive ranges, lowest first (at most {@value CompletenessRepository#MAX_RANGES})
 * @param duplicates   numbers that arrived on more than one distinct event (a producer fault), if any
 */
public record ProducerCompleteness(String producer, long lastSeq, long received, long missingCount,
        List<Range> missing, long duplicates) {

    /** Inclusive range of missing producer sequence numbers. */
    public record Range(long from, long to) {
    }
}
