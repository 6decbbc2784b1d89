package cn.chuanyu.casetransfer.assistance;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

import cn.chuanyu.casetransfer.exchange.ExpectedVersion;
import cn.chuanyu.contracts.AssistanceProgressed;
import cn.chuanyu.kit.domain.NotFoundException;
import cn.chuanyu.kit.domain.NotPermittedException;
import cn.chuanyu.kit.domain.RuleViolationException;
import cn.chuanyu.kit.domain.StaleVersionException;
import cn.chuanyu.kit.domain.StateConflictException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The assistance request's rules, driven by commands: no Spring, no HTTP. */
class AssistanceRequestTest {

    static final Instant NOW = Instant.parse("2026-11-26T08:00:00Z");
    static final String SENDER = "sc-chengdu-intermediate-court";
    static final String RECIPIENT = "cq-yubei-public-security";
    static final ExpectedVersion ANY = ExpectedVersion.ANY;

    static AssistanceCommands.Submit submit(String to) {
        return new AssistanceCommands.Submit(SENDER, to, AssistanceType.PERSON_LOCATE, " 协查被执行人下落 ",
                "被执行人张某，身份证号……", null, null);
    }

    static AssistanceRequest submitted() {
        return AssistanceRequest.submit(submit(RECIPIENT), NOW.plusSeconds(3600), NOW).after();
    }

    static AssistanceCommands.Acknowledge acknowledge(String by) {
        return new AssistanceCommands.Acknowledge(by, ANY);
    }

    @Test
    void submittedToTheRecipientWithItsSubjectStripped() {
        var submitted = AssistanceRequest.submit(submit(RECIPIENT), NOW.plusSeconds(3600), NOW);

        assertThat(submitted.after().state()).isEqualTo(AssistanceState.SUBMITTED);
        assertThat(submitted.after().subject()).isEqualTo("协查被执行人下落");
        assertThat(submitted.addressees()).containsExactly(RECIPIENT);
        assertThatThrownBy(() -> AssistanceRequest.submit(submit(SENDER), NOW.plusSeconds(3600), NOW))
                .isInstanceOf(RuleViolationException.class).hasMessageContaining("itself");
        assertThatThrownBy(() -> AssistanceRequest.submit(submit(RECIPIENT), NOW.minusSeconds(1), NOW))
                .isInstanceOf(RuleViolationException.class)
                .extracting(ex -> ((RuleViolationException) ex).field()).isEqualTo("dueAt");
    }

    @Test
    void acknowledgedThenCompletedWithAResult() {
        AssistanceRequest acknowledged = submitted().acknowledge(acknowledge(RECIPIENT), NOW).after();
        UUID evidence = UUID.randomUUID();
        var completing = acknowledged.complete(new AssistanceCommands.Complete(RECIPIENT, ANY, "已查明下落", evidence),
                NOW);
        AssistanceRequest completed = completing.after();

        assertThat(acknowledged.state()).isEqualTo(AssistanceState.ACKNOWLEDGED);
        assertThat(completed.state()).isEqualTo(AssistanceState.COMPLETED);
        assertThat(completed.evidencePackageId()).isEqualTo(evidence);
        assertThat(completed.closedAt()).isEqualTo(NOW);
        assertThat(completed.version()).isEqualTo(2);
        assertThat(completing.addressees()).containsExactly(SENDER);
        assertThat(((AssistanceProgressed) completing.data()).evidencePackageId()).isEqualTo(evidence.toString());
    }

    @Test
    void declinedFromEitherOpenStateButNotAfterClosing() {
        assertThat(submitted().decline(new AssistanceCommands.Decline(RECIPIENT, ANY, "无此人"), NOW).after().state())
                .isEqualTo(AssistanceState.DECLINED);
        AssistanceRequest acknowledged = submitted().acknowledge(acknowledge(RECIPIENT), NOW).after();
        assertThat(acknowledged.decline(new AssistanceCommands.Decline(RECIPIENT, ANY, "无法执行"), NOW).after()
                .declineReason()).isEqualTo("无法执行");
        AssistanceRequest completed = acknowledged.complete(new AssistanceCommands.Complete(RECIPIENT, ANY, "done",
                null), NOW).after();
        assertThatThrownBy(() -> completed.decline(new AssistanceCommands.Decline(RECIPIENT, ANY, "x"), NOW))
                .isInstanceOf(StateConflictException.class).hasMessageContaining("COMPLETED");
    }

    @Test
    void completingNeedsAnAcknowledgementFirstAndOnlyTheRecipientActs() {
        assertThatThrownBy(() -> submitted().complete(new AssistanceCommands.Complete(RECIPIENT, ANY, "x", null), NOW))
                .isInstanceOf(StateConflictException.class).hasMessageContaining("SUBMITTED");
        assertThatThrownBy(() -> submitted().acknowledge(acknowledge(SENDER), NOW))
                .isInstanceOf(NotPermittedException.class);
        assertThatThrownBy(() -> submitted().acknowledge(acknowledge("cq-outsider"), NOW))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void aStaleVersionIsRefusedBeforeAnyOtherRule() {
        assertThatThrownBy(() -> submitted().acknowledge(new AssistanceCommands.Acknowledge(SENDER,
                ExpectedVersion.oneOf(Set.of(3))), NOW))
                .isInstanceOf(StaleVersionException.class)
                .extracting(ex -> ((StaleVersionException) ex).currentVersion()).isEqualTo(0L);
        assertThat(submitted().acknowledge(new AssistanceCommands.Acknowledge(RECIPIENT,
                ExpectedVersion.oneOf(Set.of(0))), NOW).after().version()).isEqualTo(1);
    }

    @Test
    void overdueWhileOpenPastTheDueTime() {
        AssistanceRequest request = submitted();
        assertThat(request.isOverdue(NOW.plusSeconds(7200))).isTrue();
        assertThat(request.decline(new AssistanceCommands.Decline(RECIPIENT, ANY, "x"), NOW).after()
                .isOverdue(NOW.plusSeconds(7200))).isFalse();
    }
}
