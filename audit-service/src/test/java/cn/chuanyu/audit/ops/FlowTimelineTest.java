package cn.chuanyu.audit.ops;

import java.time.Instant;
import java.util.List;

import cn.chuanyu.kit.web.InvalidParameterException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FlowTimelineTest {

    private static final Instant NOW = Instant.parse("2026-12-01T10:00:37.250Z");

    private static long epochMinute(String time) {
        return Instant.parse(time).getEpochSecond() / 60;
    }

    @Test
    void bucketsPerMinuteEndingWithTheRunningMinuteAndZeroFilled() {
        FlowTimeline t = FlowTimeline.of("5m", NOW, 5, List.of(
                new FlowTimeline.Count("case-transfer.submitted", epochMinute("2026-12-01T09:56:00Z"), 2),
                new FlowTimeline.Count("case-transfer.submitted", epochMinute("2026-12-01T10:00:00Z"), 1),
                new FlowTimeline.Count("gateway.access", epochMinute("2026-12-01T09:58:00Z"), 40),
                new FlowTimeline.Count("ops.dead-letter-replayed", epochMinute("2026-12-01T09:59:00Z"), 1),
                // Outside the window (clock skew between the service and the database): dropped, not misplaced.
                new FlowTimeline.Count("case-transfer.submitted", epochMinute("2026-12-01T09:55:00Z"), 7),
                new FlowTimeline.Count("case-transfer.submitted", epochMinute("2026-12-01T10:01:00Z"), 7)));

        assertThat(t.from()).isEqualTo(Instant.parse("2026-12-01T09:56:00Z"));
        assertThat(t.generatedAt()).isEqualTo(NOW);
        assertThat(t.step()).isEqualTo("PT1M");
        assertThat(t.minutes()).hasSize(5).first().isEqualTo(t.from());
        assertThat(t.minutes().get(4)).isEqualTo(Instant.parse("2026-12-01T10:00:00Z"));
        assertThat(t.series()).extracting(FlowTimeline.Series::type)
                .containsExactly("gateway.access", "case-transfer.submitted", "ops.dead-letter-replayed");
        FlowTimeline.Series submitted = t.series().get(1);
        assertThat(submitted.group()).isEqualTo("business");
        assertThat(submitted.counts()).containsExactly(2, 0, 0, 0, 1);
        assertThat(submitted.total()).isEqualTo(3);
        assertThat(t.series().get(0).group()).isEqualTo("access");
        assertThat(t.series().get(0).counts()).containsExactly(0, 0, 40, 0, 0);
        assertThat(t.series().get(2).group()).isEqualTo("platform");
    }

    @Test
    void anEmptyWindowHasItsMinutesAndNoSeries() {
        FlowTimeline t = FlowTimeline.of("60m", NOW, 60, List.of());
        assertThat(t.minutes()).hasSize(60);
        assertThat(t.from()).isEqualTo(Instant.parse("2026-12-01T09:01:00Z"));
        assertThat(t.series()).isEmpty();
    }

    @Test
    void windowsAreWholeMinutesUpToThreeHours() {
        assertThat(FlowTimelineController.minutes("60m")).isEqualTo(60);
        assertThat(FlowTimelineController.minutes("1h")).isEqualTo(60);
        assertThat(FlowTimelineController.minutes("1m")).isEqualTo(1);
        assertThat(FlowTimelineController.minutes(" 3h ")).isEqualTo(180);
        for (String bad : List.of("0m", "181m", "4h", "30s", "1.5h", "", "sixty", "-5m", "99999m")) {
            assertThatThrownBy(() -> FlowTimelineController.minutes(bad)).as(bad)
                    .isInstanceOf(InvalidParameterException.class);
        }
    }
}
