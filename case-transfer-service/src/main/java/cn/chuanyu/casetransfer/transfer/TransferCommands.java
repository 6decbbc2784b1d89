package cn.chuanyu.casetransfer.transfer;

import java.time.Instant;

import cn.chuanyu.casetransfer.exchange.ExpectedVersion;
import cn.chuanyu.kit.domain.DomainModel;

/** What the parties ask of a transfer, as the aggregate takes it: who acts, and against which version. */
@DomainModel
final class TransferCommands {

    private TransferCommands() {
    }

    /** {@code decisionDueAt} null: the configured default. */
    record Submit(String fromAgency, String toAgency, String caseNumber, String title, CaseType caseType,
            String reason, String summary, Instant decisionDueAt) {
    }

    record Accept(String recipient, ExpectedVersion expected, String note) {
    }

    record Reject(String recipient, ExpectedVersion expected, String reason) {
    }

    record Withdraw(String sender, ExpectedVersion expected, String reason) {
    }
}
