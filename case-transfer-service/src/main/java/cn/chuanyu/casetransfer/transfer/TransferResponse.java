package cn.chuanyu.casetransfer.transfer;

import java.time.Instant;
import java.util.UUID;

import cn.chuanyu.casetransfer.exchange.PendingAction;
import io.swagger.v3.oas.annotations.media.Schema;

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
        int version,
        @Schema(description = "Two regions: the recipient's action on this node's replica, forwarded to the node "
                + "that decides the transfer (the sender's) and not answered yet; state changes when the outcome "
                + "arrives, or the inbox gets case-transfer.action-refused. Null otherwise (and in lists).")
        PendingAction pendingAction) {

    static TransferResponse of(CaseTransfer t, Instant now) {
        return of(t, now, null);
    }

    static TransferResponse of(CaseTransfer t, Instant now, PendingAction pending) {
        return new TransferResponse(t.id(), t.state(), t.caseNumber(), t.title(), t.caseType(), t.fromAgency(),
                t.toAgency(), t.reason(), t.summary(), t.decisionDueAt(), t.isOverdue(now), t.decidedAt(),
                t.decisionNote(), t.createdAt(), t.updatedAt(), t.version(), pending);
    }
}
