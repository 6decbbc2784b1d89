package cn.chuanyu.casetransfer.transfer;

import java.time.Duration;
import java.time.Instant;

import cn.chuanyu.casetransfer.exchange.Transition;
import cn.chuanyu.contracts.CaseTransferDecided;
import cn.chuanyu.kit.identity.AccessDeniedException;
import cn.chuanyu.kit.domain.StateConflictException;
import cn.chuanyu.kit.domain.RuleViolationException;
import cn.chuanyu.kit.domain.NotFoundException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CaseTransferTest {

    static final Instant NOW = Instant.parse("2026-11-26T08:00:00Z");
    static final String SENDER = "sc-chengdu-intermediate-court";
    static final String RECIPIENT = "cq-first-intermediate-court";
    static final String OUTSIDER = "cq-yubei-public-security";

    static SubmitTransferRequest request(String toAgency) {
        return new SubmitTransferRequest("  (2026)川01刑初123号 ", "跨区域诈骗案", CaseType.CRIMINAL, toAgency,
                "被告人户籍地在重庆", null, null);
    }

    static CaseTransfer submitted() {
        return CaseTransfer.submit(request(RECIPIENT), SENDER, NOW.plus(Duration.ofDays(15)), NOW).after();
    }

    @Test
    void aSubmittedTransferStartsInSubmittedAndIsAddressedToTheRecipient() {
        Transition<CaseTransfer> submitted = CaseTransfer.submit(request(RECIPIENT), SENDER,
                NOW.plus(Duration.ofDays(15)), NOW);

        CaseTransfer transfer = submitted.after();
        assertThat(transfer.state()).isEqualTo(TransferState.SUBMITTED);
        assertThat(transfer.caseNumber()).isEqualTo("(2026)川01刑初123号");
        assertThat(submitted.eventType()).isEqualTo("case-transfer.submitted");
        assertThat(submitted.addressees()).containsExactly(RECIPIENT);
    }

    @Test
    void anAgencyCannotTransferACaseToItselfNorSetADeadlineInThePast() {
        assertThatThrownBy(() -> CaseTransfer.submit(request(SENDER), SENDER, NOW.plusSeconds(60), NOW))
                .isInstanceOf(RuleViolationException.class).hasMessageContaining("itself");
        assertThatThrownBy(() -> CaseTransfer.submit(request(RECIPIENT), SENDER, NOW.minusSeconds(1), NOW))
                .isInstanceOf(RuleViolationException.class).hasMessageContaining("future");
    }

    @Test
    void theRecipientAcceptsAndTheSenderHearsOfIt() {
        Transition<CaseTransfer> accepted = submitted().accept(RECIPIENT, "同意接收", NOW.plusSeconds(5));

        assertThat(accepted.after().state()).isEqualTo(TransferState.ACCEPTED);
        assertThat(accepted.after().version()).isEqualTo(1);
        assertThat(accepted.after().decidedAt()).isEqualTo(NOW.plusSeconds(5));
        assertThat(accepted.addressees()).containsExactly(SENDER);
        assertThat(((CaseTransferDecided) accepted.data()).reason()).isEqualTo("同意接收");
    }

    @Test
    void theRecipientRejectsAndTheSenderWithdraws() {
        assertThat(submitted().reject(RECIPIENT, "不属于本院管辖", NOW).after().state())
                .isEqualTo(TransferState.REJECTED);
        Transition<CaseTransfer> withdrawn = submitted().withdraw(SENDER, "撤回", NOW);
        assertThat(withdrawn.after().state()).isEqualTo(TransferState.WITHDRAWN);
        assertThat(withdrawn.addressees()).containsExactly(RECIPIENT);
    }

    @Test
    void theWrongPartyIsForbiddenAndOutsidersSeeNothing() {
        CaseTransfer transfer = submitted();

        assertThatThrownBy(() -> transfer.accept(SENDER, null, NOW)).isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> transfer.withdraw(RECIPIENT, "x", NOW)).isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> transfer.accept(OUTSIDER, null, NOW)).isInstanceOf(NotFoundException.class);
    }

    @Test
    void aDecidedTransferCannotBeDecidedAgain() {
        CaseTransfer accepted = submitted().accept(RECIPIENT, null, NOW).after();

        assertThatThrownBy(() -> accepted.reject(RECIPIENT, "x", NOW))
                .isInstanceOf(StateConflictException.class)
                .hasMessageContaining("ACCEPTED")
                .extracting(ex -> ((StateConflictException) ex).currentState()).isEqualTo("ACCEPTED");
        assertThatThrownBy(() -> accepted.withdraw(SENDER, "x", NOW)).isInstanceOf(StateConflictException.class);
    }

    @Test
    void overdueOnlyWhileUndecidedPastTheDueTime() {
        CaseTransfer transfer = submitted();

        assertThat(transfer.isOverdue(NOW.plus(Duration.ofDays(14)))).isFalse();
        assertThat(transfer.isOverdue(NOW.plus(Duration.ofDays(16)))).isTrue();
        assertThat(transfer.accept(RECIPIENT, null, NOW).after().isOverdue(NOW.plus(Duration.ofDays(16)))).isFalse();
        Transition<CaseTransfer> overdue = transfer.raiseOverdue(NOW.plus(Duration.ofDays(16)));
        assertThat(overdue.after().overdueRaised()).isTrue();
        assertThat(overdue.addressees()).containsExactly(SENDER, RECIPIENT);
    }
}
