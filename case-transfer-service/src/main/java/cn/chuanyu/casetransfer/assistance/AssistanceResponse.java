package cn.chuanyu.casetransfer.assistance;

import java.time.Instant;
import java.util.UUID;

import cn.chuanyu.casetransfer.exchange.PendingAction;
import io.swagger.v3.oas.annotations.media.Schema;

record AssistanceResponse(
        UUID id,
        AssistanceType type,
        AssistanceState state,
        String fromAgency,
        String toAgency,
        String subject,
        String details,
        UUID caseTransferId,
        Instant dueAt,
        boolean overdue,
        String result,
        UUID evidencePackageId,
        String declineReason,
        Instant acknowledgedAt,
        Instant closedAt,
        Instant createdAt,
        Instant updatedAt,
        int version,
        @Schema(description = "Two regions: the recipient's action on this node's replica, forwarded to the node "
                + "that decides the request (the requester's) and not answered yet; state changes when the outcome "
                + "arrives, or the inbox gets assistance.action-refused. Null otherwise (and in lists).")
        PendingAction pendingAction) {

    static AssistanceResponse of(AssistanceRequest r, Instant now) {
        return of(r, now, null);
    }

    static AssistanceResponse of(AssistanceRequest r, Instant now, PendingAction pending) {
        return new AssistanceResponse(r.id(), r.type(), r.state(), r.fromAgency(), r.toAgency(), r.subject(),
                r.details(), r.caseTransferId(), r.dueAt(), r.isOverdue(now), r.result(), r.evidencePackageId(),
                r.declineReason(), r.acknowledgedAt(), r.closedAt(), r.createdAt(), r.updatedAt(), r.version(),
                pending);
    }
}
