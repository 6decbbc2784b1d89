package cn.chuanyu.gateway.edge;

import cn.chuanyu.contracts.GatewayAccess;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AccessRecorderTest {

    @Test
    void aRecordTheQueueCannotTakeIsCountedForAnAlert() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        // Not started: nothing drains the queue of one.
        AccessRecorder recorder = new AccessRecorder(null, null, meters, 1, 10);

        for (int i = 0; i < 5; i++) {
            recorder.record(new GatewayAccess("sc-chengdu-intermediate-court", "AGENCY", "GET", "case-transfers",
                    "/api/v1/case-transfers", 200, 1, "c-" + i, "t", "2026-12-01T00:00:00Z"));
        }

        assertThat(meters.get("chuanyu.gateway.access.dropped").counter().count()).isEqualTo(4);
        assertThat(meters.get("chuanyu.gateway.access.pending").gauge().value()).isEqualTo(1);
    }
}
