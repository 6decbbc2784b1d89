package cn.chuanyu.casetransfer.assistance;

import java.time.Instant;
import java.util.UUID;

import cn.chuanyu.casetransfer.exchange.ExpectedVersion;
import cn.chuanyu.kit.domain.DomainModel;

/** What the parties ask of an assistance request, as the aggregate takes it: who acts, against which version. */
@DomainModel
final class AssistanceCommands {

    private AssistanceCommands() {
    }

    /** {@code dueAt} null: the configured default. */
    record Submit(String fromAgency, String toAgency, AssistanceType type, String subject, String details,
            UUID caseTransferId, Instant dueAt) {
    }

    record Acknowledge(String recipient, ExpectedVersion expected) {
    }

    record Complete(String recipient, ExpectedVersion expected, String result, UUID evidencePackageId) {
    }

    record Decline(String recipient, ExpectedVersion expected, String reason) {
    }
}
