package cn.chuanyu.casetransfer.transfer;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import cn.chuanyu.casetransfer.exchange.ExchangeRules;
import cn.chuanyu.casetransfer.exchange.Transition;
import cn.chuanyu.contracts.CaseTransferDecided;
import cn.chuanyu.contracts.CaseTransferSubmitted;
import cn.chuanyu.contracts.EventTypes;
import cn.chuanyu.contracts.ExchangeOverdue;
import cn.chuanyu.kit.domain.DomainModel;
import cn.chuanyu.kit.domain.RuleViolationException;

/**
 * A case moving from one agency to another (案件移送). The aggregate decides its own transitions —
 * SUBMITTED → ACCEPTED | REJECTED by the recipient, SUBMITTED → WITHDRAWN by the sender — and hands back the
 * event each one causes; the application service persists both in one transaction.
 */
@DomainModel
record CaseTransfer(
        UUID id,
        String caseNumber,
        String title,
        CaseType caseType,
        String fromAgency,
        String toAgency,
        String reason,
        String summary,
        TransferState state,
        Instant decisionDueAt,
        Instant decidedAt,
        String decisionNote,
        boolean overdueRaised,
        Instant createdAt,
        Instant updatedAt,
        int version) {

    static final String KIND = "case transfer";

    /** {@code decisionDueAt}: the command's, or the default the service applied when it named none. */
    static Transition<CaseTransfer> submit(TransferCommands.Submit command, Instant decisionDueAt, Instant now) {
        if (command.toAgency().equals(command.fromAgency())) {
            throw new RuleViolationException("toAgency", "an agency cannot transfer a case to itself");
        }
        ExchangeRules.requireDeadline("decisionDueAt", decisionDueAt, now);
        CaseTransfer transfer = new CaseTransfer(UUID.randomUUID(), command.caseNumber().strip(),
                command.title().strip(), command.caseType(), command.fromAgency(), command.toAgency(),
                command.reason().strip(), command.summary(), TransferState.SUBMITTED, decisionDueAt, null, null, false,
                now, now, 0);
        return new Transition<>(transfer, EventTypes.CASE_TRANSFER_SUBMITTED,
                new CaseTransferSubmitted(transfer.caseNumber(), transfer.title(), transfer.caseType().name(),
                        transfer.reason(), decisionDueAt.toString(), transfer.summary()),
                List.of(transfer.toAgency()));
    }

    /**
     * The recipient's node's replica of a transfer submitted at the origin node, as its submission event describes
     * it (same id, same times): what the recipient sees and acts on there, while the origin decides.
     */
    static CaseTransfer replica(UUID id, String fromAgency, String toAgency, CaseTransferSubmitted submitted,
            Instant at) {
        return new CaseTransfer(id, submitted.caseNumber(), submitted.title(), CaseType.valueOf(submitted.caseType()),
                fromAgency, toAgency, submitted.reason(), submitted.summary(), TransferState.SUBMITTED,
                Instant.parse(submitted.decisionDueAt()), null, null, false, at, at, 0);
    }

    ExchangeRules rules() {
        return new ExchangeRules(KIND, id.toString(), fromAgency, toAgency);
    }

    Transition<CaseTransfer> accept(TransferCommands.Accept command, Instant now) {
        rules().requireRecipient(command.recipient(), command.expected(), version, "accept");
        return decide(TransferState.ACCEPTED, "accept", command.recipient(), command.note(), now,
                EventTypes.CASE_TRANSFER_ACCEPTED);
    }

    Transition<CaseTransfer> reject(TransferCommands.Reject command, Instant now) {
        rules().requireRecipient(command.recipient(), command.expected(), version, "reject");
        return decide(TransferState.REJECTED, "reject", command.recipient(), command.reason(), now,
                EventTypes.CASE_TRANSFER_REJECTED);
    }

    Transition<CaseTransfer> withdraw(TransferCommands.Withdraw command, Instant now) {
        rules().requireSender(command.sender(), command.expected(), version, "withdraw");
        return decide(TransferState.WITHDRAWN, "withdraw", command.sender(), command.reason(), now,
                EventTypes.CASE_TRANSFER_WITHDRAWN);
    }

    boolean isOverdue(Instant now) {
        return state == TransferState.SUBMITTED && decisionDueAt.isBefore(now);
    }

    /** Raised once, by the deadline scanner, for a transfer still undecided past its due time. */
    Transition<CaseTransfer> raiseOverdue(Instant now) {
        CaseTransfer after = new CaseTransfer(id, caseNumber, title, caseType, fromAgency, toAgency, reason, summary,
                state, decisionDueAt, decidedAt, decisionNote, true, createdAt, now, version + 1);
        return new Transition<>(after, EventTypes.CASE_TRANSFER_OVERDUE,
                new ExchangeOverdue(state.name(), decisionDueAt.toString(), toAgency), List.of(fromAgency, toAgency));
    }

    private Transition<CaseTransfer> decide(TransferState target, String action, String by, String note,
            Instant now, String eventType) {
        ExchangeRules.requireState(state, action, KIND, TransferState.SUBMITTED);
        CaseTransfer after = new CaseTransfer(id, caseNumber, title, caseType, fromAgency, toAgency, reason, summary,
                target, decisionDueAt, now, note, overdueRaised, createdAt, now, version + 1);
        String otherParty = by.equals(fromAgency) ? toAgency : fromAgency;
        return new Transition<>(after, eventType, new CaseTransferDecided(caseNumber, target.name(), by, note),
                List.of(otherParty));
    }
}
