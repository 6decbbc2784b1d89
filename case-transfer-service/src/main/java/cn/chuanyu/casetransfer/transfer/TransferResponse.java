package cn.chuanyu.casetransfer.transfer;

import java.time.Instant;
import java.util.UUID;

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
        Instant createdAt,
        Instant updatedAt,
        int version) {

    static TransferResponse of(CaseTransfer t) {
        return new TransferResponse(t.id(), t.state(), t.caseNumber(), t.title(), t.caseType(), t.fromAgency(),
                t.toAgency(), t.reason(), t.summary(), t.createdAt(), t.updatedAt(), t.version());
    }
}
