package cn.chuanyu.casetransfer.transfer;

import java.time.Instant;
import java.util.UUID;

/** A transfer as both parties see it; {@code overdue} is derived from the due time at the moment of reading. */
record TransferResponse(
        UUID id,
        TransferState state,
        String caseNumber,
        String title,
        CaseType caseType,
        String fromAgency,
        String toAgency,
        String reason,
        String summary,
        Instant decisionDueAt,
        boolean overdue,
        Instant decidedAt,
        String decisionNote,
        Instant createdAt,
        Instant updatedAt,
        int version) {

    static TransferResponse of(CaseTransfer t, Instant now) {
        return new TransferResponse(t.id(), t.state(), t.caseNumber(), t.title(), t.caseType(), t.fromAgency(),
                t.toAgency(), t.reason(), t.summary(), t.decisionDueAt(), t.isOverdue(now), t.decidedAt(),
                t.decisionNote(), t.createdAt(), t.updatedAt(), t.version());
    }
}
