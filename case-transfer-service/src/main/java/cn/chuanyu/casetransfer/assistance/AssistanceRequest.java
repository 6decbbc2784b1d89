package cn.chuanyu.casetransfer.assistance;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import cn.chuanyu.casetransfer.exchange.Parties;
import cn.chuanyu.casetransfer.exchange.Transition;
import cn.chuanyu.contracts.AssistanceProgressed;
import cn.chuanyu.contracts.AssistanceSubmitted;
import cn.chuanyu.contracts.EventTypes;
import cn.chuanyu.contracts.ExchangeOverdue;
import cn.chuanyu.kit.domain.RuleViolationException;

/** An agency asking another for help. The recipient moves it along; every move is an event back to the sender. */
record AssistanceRequest(
        UUID id,
        AssistanceType type,
        String fromAgency,
        String toAgency,
        String subject,
        String details,
        UUID caseTransferId,
        Instant dueAt,
        AssistanceState state,
        String result,
        UUID evidencePackageId,
        String declineReason,
        Instant acknowledgedAt,
        Instant closedAt,
        boolean overdueRaised,
        Instant createdAt,
        Instant updatedAt,
        int version) {

    static final String KIND = "assistance request";

    static Transition<AssistanceRequest> submit(SubmitAssistanceRequest request, String fromAgency, Instant dueAt,
            Instant now) {
        if (request.toAgency().equals(fromAgency)) {
            throw new RuleViolationException("toAgency", "an agency cannot ask itself for assistance");
        }
        Parties.requireDeadline("dueAt", dueAt, now);
        AssistanceRequest created = new AssistanceRequest(UUID.randomUUID(), request.type(), fromAgency,
                request.toAgency(), request.subject().strip(), request.details(), request.caseTransferId(), dueAt,
                AssistanceState.SUBMITTED, null, null, null, null, null, false, now, now, 0);
        return new Transition<>(created, EventTypes.ASSISTANCE_SUBMITTED,
                new AssistanceSubmitted(created.type().name(), created.subject(),
                        created.caseTransferId() == null ? null : created.caseTransferId().toString(),
                        dueAt.toString()),
                List.of(created.toAgency()));
    }

    Parties parties() {
        return new Parties(KIND, id.toString(), fromAgency, toAgency);
    }

    Transition<AssistanceRequest> acknowledge(String by, Instant now) {
        parties().requireRecipient(by, "acknowledge");
        Parties.requireState(state, "acknowledge", KIND, AssistanceState.SUBMITTED);
        return move(AssistanceState.ACKNOWLEDGED, EventTypes.ASSISTANCE_ACKNOWLEDGED, by, null, null, null, now,
                now, closedAt);
    }

    Transition<AssistanceRequest> complete(String by, String result, UUID evidencePackageId, Instant now) {
        parties().requireRecipient(by, "complete");
        Parties.requireState(state, "complete", KIND, AssistanceState.ACKNOWLEDGED);
        return move(AssistanceState.COMPLETED, EventTypes.ASSISTANCE_COMPLETED, by, result, evidencePackageId,
                null, acknowledgedAt, now, now);
    }

    Transition<AssistanceRequest> decline(String by, String reason, Instant now) {
        parties().requireRecipient(by, "decline");
        Parties.requireState(state, "decline", KIND, AssistanceState.SUBMITTED, AssistanceState.ACKNOWLEDGED);
        return move(AssistanceState.DECLINED, EventTypes.ASSISTANCE_DECLINED, by, null, null, reason,
                acknowledgedAt, now, now);
    }

    boolean isOverdue(Instant now) {
        return state.isOpen() && dueAt.isBefore(now);
    }

    Transition<AssistanceRequest> raiseOverdue(Instant now) {
        AssistanceRequest after = new AssistanceRequest(id, type, fromAgency, toAgency, subject, details,
                caseTransferId, dueAt, state, result, evidencePackageId, declineReason, acknowledgedAt, closedAt, true,
                createdAt, now, version + 1);
        return new Transition<>(after, EventTypes.ASSISTANCE_OVERDUE,
                new ExchangeOverdue(state.name(), dueAt.toString(), toAgency), List.of(fromAgency, toAgency));
    }

    private Transition<AssistanceRequest> move(AssistanceState target, String eventType, String by, String result,
            UUID evidencePackageId, String reason, Instant acknowledged, Instant now, Instant closed) {
        AssistanceRequest after = new AssistanceRequest(id, type, fromAgency, toAgency, subject, details,
                caseTransferId, dueAt, target, result, evidencePackageId, reason, acknowledged, closed, overdueRaised,
                createdAt, now, version + 1);
        return new Transition<>(after, eventType, new AssistanceProgressed(target.name(), by, result,
                evidencePackageId == null ? null : evidencePackageId.toString(), reason), List.of(fromAgency));
    }
}
