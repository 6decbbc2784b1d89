package cn.chuanyu.casetransfer.transfer;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import cn.chuanyu.casetransfer.exchange.ExpectedVersion;
import cn.chuanyu.casetransfer.exchange.Transition;
import cn.chuanyu.contracts.CaseTransferDecided;
import cn.chuanyu.contracts.CaseTransferSubmitted;
import cn.chuanyu.kit.domain.NotFoundException;
import cn.chuanyu.kit.domain.NotPermittedException;
import cn.chuanyu.kit.domain.RuleViolationException;
import cn.chuanyu.kit.domain.StaleVersionException;
import cn.chuanyu.kit.domain.StateConflictException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The transfer's rules, driven by commands: no Spring, no HTTP. */
class CaseTransferTest {

    static final Instant NOW = Instant.parse("2026-11-26T08:00:00Z");
    static final String SENDER = "sc-chengdu-intermediate-court";
    static final String RECIPIENT = "cq-first-intermediate-court";
    static final String OUTSIDER = "cq-yubei-public-security";
    static final ExpectedVersion ANY = ExpectedVersion.ANY;

    static TransferCommands.Submit submit(String from, String to) {
        return new TransferCommands.Submit(from, to, "  (2026)川01刑初123号 ", "跨区域诈骗案", CaseType.CRIMINAL,
                "被告人户籍地在重庆", null, null);
    }

    static CaseTransfer submitted() {
        return CaseTransfer.submit(submit(SENDER, RECIPIENT), NOW.plus(Duration.ofDays(15)), NOW).after();
    }

    static TransferCommands.Accept accept(String by) {
        return new TransferCommands.Accept(by, ANY, null);
    }

    @Test
    void aSubmittedTransferStartsInSubmittedAndIsAddressedToTheRecipient() {
        Transition<CaseTransfer> submitted = CaseTransfer.submit(submit(SENDER, RECIPIENT),
                NOW.plus(Duration.ofDays(15)), NOW);

        CaseTransfer transfer = submitted.after();
        assertThat(transfer.state()).isEqualTo(TransferState.SUBMITTED);
        assertThat(transfer.caseNumber()).isEqualTo("(2026)川01刑初123号");
        assertThat(transfer.fromAgency()).isEqualTo(SENDER);
        assertThat(transfer.version()).isZero();
        assertThat(submitted.eventType()).isEqualTo("case-transfer.submitted");
        assertThat(((CaseTransferSubmitted) submitted.data()).decisionDueAt())
                .isEqualTo(NOW.plus(Duration.ofDays(15)).toString());
        assertThat(submitted.addressees()).containsExactly(RECIPIENT);
    }

    @Test
    void anAgencyCannotTransferACaseToItselfNorSetADeadlineInThePastOrBeyondAYear() {
        assertThatThrownBy(() -> CaseTransfer.submit(submit(SENDER, SENDER), NOW.plusSeconds(60), NOW))
                .isInstanceOf(RuleViolationException.class).hasMessageContaining("itself")
                .extracting(ex -> ((RuleViolationException) ex).field()).isEqualTo("toAgency");
        assertThatThrownBy(() -> CaseTransfer.submit(submit(SENDER, RECIPIENT), NOW.minusSeconds(1), NOW))
                .isInstanceOf(RuleViolationException.class).hasMessageContaining("future")
                .extracting(ex -> ((RuleViolationException) ex).field()).isEqualTo("decisionDueAt");
        assertThatThrownBy(() -> CaseTransfer.submit(submit(SENDER, RECIPIENT), NOW, NOW))
                .isInstanceOf(RuleViolationException.class).hasMessageContaining("future");
        assertThatThrownBy(() -> CaseTransfer.submit(submit(SENDER, RECIPIENT), NOW.plus(Duration.ofDays(367)),
                NOW)).isInstanceOf(RuleViolationException.class).hasMessageContaining("366 days");
    }

    @Test
    void theRecipientAcceptsAndTheSenderHearsOfIt() {
        Transition<CaseTransfer> accepted = submitted().accept(new TransferCommands.Accept(RECIPIENT, ANY, "同意接收"),
                NOW.plusSeconds(5));

        assertThat(accepted.after().state()).isEqualTo(TransferState.ACCEPTED);
        assertThat(accepted.after().version()).isEqualTo(1);
        assertThat(accepted.after().decidedAt()).isEqualTo(NOW.plusSeconds(5));
        assertThat(accepted.addressees()).containsExactly(SENDER);
        assertThat(((CaseTransferDecided) accepted.data()).reason()).isEqualTo("同意接收");
        assertThat(((CaseTransferDecided) accepted.data()).actor()).isEqualTo(RECIPIENT);
    }

    @Test
    void theRecipientRejectsAndTheSenderWithdraws() {
        assertThat(submitted().reject(new TransferCommands.Reject(RECIPIENT, ANY, "不属于本院管辖"), NOW).after().state())
                .isEqualTo(TransferState.REJECTED);
        Transition<CaseTransfer> withdrawn = submitted().withdraw(new TransferCommands.Withdraw(SENDER, ANY, "撤回"),
                NOW);
        assertThat(withdrawn.after().state()).isEqualTo(TransferState.WITHDRAWN);
        assertThat(withdrawn.after().decisionNote()).isEqualTo("撤回");
        assertThat(withdrawn.addressees()).containsExactly(RECIPIENT);
    }

    @Test
    void theWrongPartyIsNotPermittedAndOutsidersSeeNothing() {
        CaseTransfer transfer = submitted();

        assertThatThrownBy(() -> transfer.accept(accept(SENDER), NOW)).isInstanceOf(NotPermittedException.class)
                .hasMessageContaining("only the receiving agency");
        assertThatThrownBy(() -> transfer.withdraw(new TransferCommands.Withdraw(RECIPIENT, ANY, "x"), NOW))
                .isInstanceOf(NotPermittedException.class).hasMessageContaining("only the sending agency");
        assertThatThrownBy(() -> transfer.accept(accept(OUTSIDER), NOW)).isInstanceOf(NotFoundException.class);
    }

    @Test
    void aCommandMadeAgainstAnOlderVersionIsStaleAndOutsidersDoNotLearnTheVersion() {
        CaseTransfer accepted = submitted().accept(accept(RECIPIENT), NOW).after();

        assertThatThrownBy(() -> accepted.reject(new TransferCommands.Reject(RECIPIENT,
                ExpectedVersion.oneOf(Set.of(0)), "x"), NOW))
                .isInstanceOf(StaleVersionException.class)
                .extracting(ex -> ((StaleVersionException) ex).currentVersion()).isEqualTo(1L);
        assertThatThrownBy(() -> accepted.reject(new TransferCommands.Reject(OUTSIDER,
                ExpectedVersion.oneOf(Set.of(0)), "x"), NOW)).isInstanceOf(NotFoundException.class);
        // The current version gets past the version check to the state rule.
        assertThatThrownBy(() -> accepted.reject(new TransferCommands.Reject(RECIPIENT,
                ExpectedVersion.oneOf(Set.of(0, 1)), "x"), NOW)).isInstanceOf(StateConflictException.class);
    }

    @Test
    void aDecidedTransferCannotBeDecidedAgain() {
        CaseTransfer accepted = submitted().accept(accept(RECIPIENT), NOW).after();

        assertThatThrownBy(() -> accepted.reject(new TransferCommands.Reject(RECIPIENT, ANY, "x"), NOW))
                .isInstanceOf(StateConflictException.class)
                .hasMessageContaining("ACCEPTED")
                .extracting(ex -> ((StateConflictException) ex).currentState()).isEqualTo("ACCEPTED");
        assertThatThrownBy(() -> accepted.withdraw(new TransferCommands.Withdraw(SENDER, ANY, "x"), NOW))
                .isInstanceOf(StateConflictException.class);
    }

    @Test
    void overdueOnlyWhileUndecidedPastTheDueTime() {
        CaseTransfer transfer = submitted();

        assertThat(transfer.isOverdue(NOW.plus(Duration.ofDays(14)))).isFalse();
        assertThat(transfer.isOverdue(NOW.plus(Duration.ofDays(16)))).isTrue();
        assertThat(transfer.accept(accept(RECIPIENT), NOW).after().isOverdue(NOW.plus(Duration.ofDays(16)))).isFalse();
        Transition<CaseTransfer> overdue = transfer.raiseOverdue(NOW.plus(Duration.ofDays(16)));
        assertThat(overdue.after().overdueRaised()).isTrue();
        assertThat(overdue.after().state()).isEqualTo(TransferState.SUBMITTED);
        assertThat(overdue.addressees()).containsExactly(SENDER, RECIPIENT);
    }
}
