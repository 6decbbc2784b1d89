package cn.chuanyu.audit.ops;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import cn.chuanyu.contracts.EventTypes;

/**
 * Audit entries per minute and event type over a window, zero-filled: the operators' flow chart, from what the
 * trail keeps, so every tab and every reload shows the same history.
 *
 * @param window      the window as asked, e.g. {@code 60m}
 * @param step        the width of one bucket, ISO-8601 ({@code PT1M})
 * @param from        start of the first bucket (a whole minute)
 * @param generatedAt when the counts were taken; the last bucket is the minute still running
 * @param minutes     start of each bucket, oldest first
 * @param series      one per event type seen in the window, with a count per bucket
 */
record FlowTimeline(String window, String step, Instant from, Instant generatedAt, List<Instant> minutes,
        List<Series> series) {

    static final Duration STEP = Duration.ofMinutes(1);

    /** Gateway access records: one per API request, whatever it did. */
    static final String ACCESS = "access";
    /** Registry and operator actions ({@code agency.*}, {@code ops.*}). */
    static final String PLATFORM = "platform";
    /** What agencies exchange: transfers, assistance, evidence. */
    static final String BUSINESS = "business";

    /**
     * @param type   the event type
     * @param group  {@code business}, {@code platform} or {@code access}, so a chart can keep the gateway's access
     *               records (one per request) from flattening the business events
     * @param total  entries of this type in the window
     * @param counts entries per bucket, aligned with {@code minutes}
     */
    record Series(String type, String group, long total, long[] counts) {
    }

    /** One row of the query: entries of a type recorded in the minute starting at epoch minute {@code minute}. */
    record Count(String type, long epochMinute, long count) {
    }

    static String group(String type) {
        if (EventTypes.GATEWAY_ACCESS.equals(type) || EventTypes.GATEWAY_REFUSED.equals(type)) {
            return ACCESS;
        }
        return type.startsWith("agency.") || type.startsWith("ops.") ? PLATFORM : BUSINESS;
    }

    /** Start of the first of {@code buckets} one-minute buckets, the last one holding {@code now}. */
    static Instant firstMinute(Instant now, int buckets) {
        return now.truncatedTo(ChronoUnit.MINUTES).minus(STEP.multipliedBy(buckets - 1L));
    }

    /** Buckets the counts (dropping any outside the window), zero-fills, and orders series by group then total. */
    static FlowTimeline of(String window, Instant now, int buckets, List<Count> counts) {
        Instant from = firstMinute(now, buckets);
        long firstEpochMinute = from.getEpochSecond() / 60;
        List<Instant> minutes = new ArrayList<>(buckets);
        for (int i = 0; i < buckets; i++) {
            minutes.add(from.plus(STEP.multipliedBy(i)));
        }
        Map<String, long[]> byType = new LinkedHashMap<>();
        for (Count c : counts) {
            long index = c.epochMinute() - firstEpochMinute;
            if (index < 0 || index >= buckets) {
                continue;
            }
            byType.computeIfAbsent(c.type(), t -> new long[buckets])[(int) index] += c.count();
        }
        List<Series> series = new ArrayList<>();
        byType.forEach((type, values) -> {
            long total = 0;
            for (long v : values) {
                total += v;
            }
            series.add(new Series(type, group(type), total, values));
        });
        series.sort(Comparator.comparing(Series::group).thenComparing(Series::total, Comparator.reverseOrder())
                .thenComparing(Series::type));
        return new FlowTimeline(window, STEP.toString(), from, now, minutes, series);
    }
}
