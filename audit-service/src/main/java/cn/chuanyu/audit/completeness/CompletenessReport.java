package cn.chuanyu.audit.completeness;

import java.util.List;

/**
 * Per-producer gaps. {@code complete} is true when no producer misses a number up to its last one; events a
 * producer numbered after its last received one cannot be seen here until one of them arrives.
 */
public record CompletenessReport(boolean complete, List<ProducerCompleteness> producers, long unnumberedEntries) {
}
