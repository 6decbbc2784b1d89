package cn.chuanyu.casetransfer.assistance;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import cn.chuanyu.casetransfer.exchange.ExchangeRules;
import cn.chuanyu.casetransfer.exchange.Transition;
import cn.chuanyu.contracts.AssistanceProgressed;
import cn.chuanyu.contracts.AssistanceSubmitted;
import cn.chuanyu.contracts.EventTypes;
import cn.chuanyu.contracts.ExchangeOverdue;
import cn.chuanyu.kit.domain.DomainModel;
import cn.chuanyu.kit.domain.RuleViolationException;

/** An agency asking another for help. The recipient moves it along; every move is an event back to the sender. */
@DomainModel
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

    /** {@code dueAt}: the command's, or the default the service applied when it named none. */
    static Transition<AssistanceRequest> submit(AssistanceCommands.Submit command, Instant dueAt, Instant now) {
        if (command.toAgency().equals(command.fromAgency())) {
            throw new RuleViolationException("toAgency", "an agency cannot ask itself for assistance");
        }
        ExchangeRules.requireDeadline("dueAt", dueAt, now);
        AssistanceRequest created = new AssistanceRequest(UUID.randomUUID(), command.type(), command.fromAgency(),
                command.toAgency(), command.subject().strip(), command.details(), command.caseTransferId(), dueAt,
                AssistanceState.SUBMITTED, null, null, null, null, null, false, now, now, 0);
        return new Transition<>(created, EventTypes.ASSISTANCE_SUBMITTED,
                new AssistanceSubmitted(created.type().name(), created.subject(),
                        created.caseTransferId() == null ? null : created.caseTransferId().toString(),
                        dueAt.toString(), created.details()),
                List.of(created.toAgency()));
    }

    /** The recipient's node's replica of a request submitted at the origin node (same id, same times). */
    static AssistanceRequest replica(UUID id, String fromAgency, String toAgency, AssistanceSubmitted submitted,
            Instant at) {
        return new AssistanceRequest(id, AssistanceType.valueOf(submitted.type()), fromAgency, toAgency,
                submitted.subject(), submitted.details(),
                submitted.caseTransferId() == null ? null : UUID.fromString(submitted.caseTransferId()),
                Instant.parse(submitted.dueAt()), AssistanceState.SUBMITTED, null, null, null, null, null, false, at, at,
                0);
    }

    ExchangeRules rules() {
        return new ExchangeRules(KIND, id.toString(), fromAgency, toAgency);
    }

    Transition<AssistanceRequest> acknowledge(AssistanceCommands.Acknowledge command, Instant now) {
        rules().requireRecipient(command.recipient(), command.expected(), version, "acknowledge");
        ExchangeRules.requireState(state, "acknowledge", KIND, AssistanceState.SUBMITTED);
        return move(AssistanceState.ACKNOWLEDGED, EventTypes.ASSISTANCE_ACKNOWLEDGED, command.recipient(), null, null,
                null, now, now, closedAt);
    }

    Transition<AssistanceRequest> complete(AssistanceCommands.Complete command, Instant now) {
        rules().requireRecipient(command.recipient(), command.expected(), version, "complete");
        ExchangeRules.requireState(state, "complete", KIND, AssistanceState.ACKNOWLEDGED);
        return move(AssistanceState.COMPLETED, EventTypes.ASSISTANCE_COMPLETED, command.recipient(), command.result(),
                command.evidencePackageId(), null, acknowledgedAt, now, now);
    }

    Transition<AssistanceRequest> decline(AssistanceCommands.Decline command, Instant now) {
        rules().requireRecipient(command.recipient(), command.expected(), version, "decline");
        ExchangeRules.requireState(state, "decline", KIND, AssistanceState.SUBMITTED, AssistanceState.ACKNOWLEDGED);
        return move(AssistanceState.DECLINED, EventTypes.ASSISTANCE_DECLINED, command.recipient(), null, null,
                command.reason(), acknowledgedAt, now, now);
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
