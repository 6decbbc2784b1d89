package cn.chuanyu.contracts;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventEnvelopeTest {

    @Test
    void dataMayCarryNullsAndCannotBeChangedAfterwards() {
        Map<String, Object> data = new HashMap<>();
        data.put("note", null);
        data.put("state", "ACCEPTED");

        EventEnvelope event = new EventEnvelope("e-1", "case-transfer-service", "case-transfer.accepted", "t-1",
                Instant.now(), "corr-1", "sc-a", "cq-b", data);
        data.put("state", "tampered");

        assertThat(event.data()).containsEntry("note", null).containsEntry("state", "ACCEPTED");
        assertThatThrownBy(() -> event.data().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void identityFieldsAreRequired() {
        assertThatThrownBy(() -> new EventEnvelope(" ", "s", "t", "x", Instant.now(), null, null, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("id");
        assertThatThrownBy(() -> new EventEnvelope("e", "s", "t", "x", null, null, null, null, null))
                .isInstanceOf(NullPointerException.class);
    }
}
