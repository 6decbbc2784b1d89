package cn.chuanyu.audit.entry;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One exchange's entries in the order their producers committed them.
 *
 * <p>Entries arrive in the trail in arrival order; a re-sent event (after a broker restart or a crash) can arrive
 * behind a later event of the same producer. This view keeps the arrival interleaving between producers (no order
 * holds between them anyway) but puts each producer's entries back in {@code producerSeq} order: the places its
 * entries took in arrival order are refilled with them sorted. Entries without a producer number keep their place.
 *
 * @param exchangeId the exchange
 * @param entries    its entries, each producer's in commit order
 * @param truncated  true when the exchange has more entries than one view holds ({@link #MAX_ENTRIES})
 */
public record ExchangeHistory(String exchangeId, List<AuditEntry> entries, boolean truncated) {

    /** An exchange has a handful of events; this bound only keeps one request's memory finite. */
    public static final int MAX_ENTRIES = 1000;

    /** Reorders entries given in arrival ({@code seq}) order. */
    static List<AuditEntry> inProducerOrder(List<AuditEntry> arrivalOrder) {
        Map<String, List<Integer>> slots = new HashMap<>();
        for (int i = 0; i < arrivalOrder.size(); i++) {
            AuditEntry entry = arrivalOrder.get(i);
            if (entry.producer() != null && entry.producerSeq() != null) {
                slots.computeIfAbsent(entry.producer(), p -> new ArrayList<>()).add(i);
            }
        }
        List<AuditEntry> ordered = new ArrayList<>(arrivalOrder);
        for (List<Integer> places : slots.values()) {
            List<AuditEntry> sorted = places.stream().map(arrivalOrder::get)
                    .sorted(Comparator.comparingLong(AuditEntry::producerSeq)).toList();
            for (int k = 0; k < places.size(); k++) {
                ordered.set(places.get(k), sorted.get(k));
            }
        }
        return ordered;
    }
}
