package cn.chuanyu.casetransfer.assistance;

import java.time.Instant;
import java.util.UUID;

import cn.chuanyu.kit.identity.AccessDeniedException;
import cn.chuanyu.kit.domain.StateConflictException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AssistanceRequestTest {

    static final Instant NOW = Instant.parse("2026-11-26T08:00:00Z");
    static final String SENDER = "sc-chengdu-intermediate-court";
    static final String RECIPIENT = "cq-yubei-public-security";

    static AssistanceRequest submitted() {
        return AssistanceRequest.submit(new SubmitAssistanceRequest(AssistanceType.PERSON_LOCATE, RECIPIENT,
                "协查被执行人下落", "被执行人张某，身份证号……", null, null), SENDER, NOW.plusSeconds(3600), NOW).after();
    }

    @Test
    void acknowledgedThenCompletedWithAResult() {
        AssistanceRequest acknowledged = submitted().acknowledge(RECIPIENT, NOW).after();
        UUID evidence = UUID.randomUUID();
        AssistanceRequest completed = acknowledged.complete(RECIPIENT, "已查明下落", evidence, NOW).after();

        assertThat(acknowledged.state()).isEqualTo(AssistanceState.ACKNOWLEDGED);
        assertThat(completed.state()).isEqualTo(AssistanceState.COMPLETED);
        assertThat(completed.evidencePackageId()).isEqualTo(evidence);
        assertThat(completed.closedAt()).isEqualTo(NOW);
        assertThat(completed.version()).isEqualTo(2);
    }

    @Test
    void declinedFromEitherOpenStateButNotAfterClosing() {
        assertThat(submitted().decline(RECIPIENT, "无此人", NOW).after().state()).isEqualTo(AssistanceState.DECLINED);
        AssistanceRequest acknowledged = submitted().acknowledge(RECIPIENT, NOW).after();
        assertThat(acknowledged.decline(RECIPIENT, "无法执行", NOW).after().declineReason()).isEqualTo("无法执行");
        AssistanceRequest completed = acknowledged.complete(RECIPIENT, "done", null, NOW).after();
        assertThatThrownBy(() -> completed.decline(RECIPIENT, "x", NOW)).isInstanceOf(StateConflictException.class)
                .hasMessageContaining("COMPLETED");
    }

    @Test
    void completingNeedsAnAcknowledgementFirstAndOnlyTheRecipientActs() {
        assertThatThrownBy(() -> submitted().complete(RECIPIENT, "x", null, NOW))
                .isInstanceOf(StateConflictException.class).hasMessageContaining("SUBMITTED");
        assertThatThrownBy(() -> submitted().acknowledge(SENDER, NOW)).isInstanceOf(AccessDeniedException.class);
    }

    @Test
    void overdueWhileOpenPastTheDueTime() {
        AssistanceRequest request = submitted();
        assertThat(request.isOverdue(NOW.plusSeconds(7200))).isTrue();
        assertThat(request.decline(RECIPIENT, "x", NOW).after().isOverdue(NOW.plusSeconds(7200))).isFalse();
    }
}
