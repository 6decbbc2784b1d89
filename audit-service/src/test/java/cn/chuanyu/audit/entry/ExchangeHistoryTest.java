package cn.chuanyu.audit.entry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ExchangeHistoryTest {

    @Test
    void eachProducersEntriesReturnToCommitOrderInThePlacesTheyTook() {
        // Arrival: case-transfer #2 overtook #1 (re-sent after a broker restart); gateway and an unnumbered entry
        // sit between them and keep their places.
        List<AuditEntry> arrival = List.of(
                entry(1, "case-transfer-service", 2L),
                entry(2, "gateway", 7L),
                entry(3, null, null),
                entry(4, "case-transfer-service", 1L),
                entry(5, "gateway", 8L));

        List<AuditEntry> ordered = ExchangeHistory.inProducerOrder(arrival);

        assertThat(ordered).extracting(AuditEntry::seq).containsExactly(4L, 2L, 3L, 1L, 5L);
    }

    @Test
    void entriesAlreadyInOrderStayAsTheyAre() {
        List<AuditEntry> arrival = List.of(entry(1, "a", 1L), entry(2, "b", 1L), entry(3, "a", 2L));

        assertThat(ExchangeHistory.inProducerOrder(arrival)).isEqualTo(arrival);
    }

    private static AuditEntry entry(long seq, String producer, Long producerSeq) {
        return new AuditEntry(seq, seq - 1, "e" + seq, "t", "s", "x", "A", "B", "c", null, null, producer,
                producerSeq, Map.of(), "h", "c");
    }
}
