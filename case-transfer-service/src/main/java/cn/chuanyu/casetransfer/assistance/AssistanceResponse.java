package cn.chuanyu.casetransfer.assistance;

import java.time.Instant;
import java.util.UUID;

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
        int version) {

    static AssistanceResponse of(AssistanceRequest r, Instant now) {
        return new AssistanceResponse(r.id(), r.type(), r.state(), r.fromAgency(), r.toAgency(), r.subject(),
                r.details(), r.caseTransferId(), r.dueAt(), r.isOverdue(now), r.result(), r.evidencePackageId(),
                r.declineReason(), r.acknowledgedAt(), r.closedAt(), r.createdAt(), r.updatedAt(), r.version());
    }
}
