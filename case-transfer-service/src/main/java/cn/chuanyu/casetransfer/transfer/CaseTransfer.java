package cn.chuanyu.casetransfer.transfer;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import cn.chuanyu.casetransfer.exchange.Parties;
import cn.chuanyu.casetransfer.exchange.Transition;
import cn.chuanyu.contracts.CaseTransferDecided;
import cn.chuanyu.contracts.CaseTransferSubmitted;
import cn.chuanyu.contracts.EventTypes;
import cn.chuanyu.contracts.ExchangeOverdue;
import cn.chuanyu.kit.domain.RuleViolationException;

/**
 * A case moving from one agency to another (案件移送). The aggregate decides its own transitions —
 * SUBMITTED → ACCEPTED | REJECTED by the recipient, SUBMITTED → WITHDRAWN by the sender — and hands back the
 * event each one causes; the application service persists both in one transaction.
 */
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

    static Transition<CaseTransfer> submit(SubmitTransferRequest request, String fromAgency, Instant decisionDueAt,
            Instant now) {
        if (request.toAgency().equals(fromAgency)) {
            throw new RuleViolationException("toAgency", "an agency cannot transfer a case to itself");
        }
        Parties.requireDeadline("decisionDueAt", decisionDueAt, now);
        CaseTransfer transfer = new CaseTransfer(UUID.randomUUID(), request.caseNumber().strip(),
                request.title().strip(), request.caseType(), fromAgency, request.toAgency(), request.reason().strip(),
                request.summary(), TransferState.SUBMITTED, decisionDueAt, null, null, false, now, now, 0);
        return new Transition<>(transfer, EventTypes.CASE_TRANSFER_SUBMITTED,
                new CaseTransferSubmitted(transfer.caseNumber(), transfer.title(), transfer.caseType().name(),
                        transfer.reason(), decisionDueAt.toString()),
                List.of(transfer.toAgency()));
    }

    Parties parties() {
        return new Parties(KIND, id.toString(), fromAgency, toAgency);
    }

    Transition<CaseTransfer> accept(String by, String note, Instant now) {
        parties().requireRecipient(by, "accept");
        return decide(TransferState.ACCEPTED, "accept", by, note, now, EventTypes.CASE_TRANSFER_ACCEPTED);
    }

    Transition<CaseTransfer> reject(String by, String reason, Instant now) {
        parties().requireRecipient(by, "reject");
        return decide(TransferState.REJECTED, "reject", by, reason, now, EventTypes.CASE_TRANSFER_REJECTED);
    }

    Transition<CaseTransfer> withdraw(String by, String reason, Instant now) {
        parties().requireSender(by, "withdraw");
        return decide(TransferState.WITHDRAWN, "withdraw", by, reason, now, EventTypes.CASE_TRANSFER_WITHDRAWN);
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
        Parties.requireState(state, action, KIND, TransferState.SUBMITTED);
        CaseTransfer after = new CaseTransfer(id, caseNumber, title, caseType, fromAgency, toAgency, reason, summary,
                target, decisionDueAt, now, note, overdueRaised, createdAt, now, version + 1);
        String otherParty = by.equals(fromAgency) ? toAgency : fromAgency;
        return new Transition<>(after, eventType, new CaseTransferDecided(caseNumber, target.name(), by, note),
                List.of(otherParty));
    }
}
