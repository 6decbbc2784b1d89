package cn.chuanyu.casetransfer.transfer;

import java.time.Instant;
import java.util.UUID;

import cn.chuanyu.contracts.CaseTransferSubmitted;
import cn.chuanyu.kit.web.InvalidFieldException;

/**
 * A case moving from one agency to another. The aggregate decides its own transitions and hands back the event
 * each one causes; the application service persists both in one transaction.
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
        Instant createdAt,
        Instant updatedAt,
        int version) {

    record Submitted(CaseTransfer transfer, CaseTransferSubmitted event) {
    }

    static Submitted submit(SubmitTransferRequest request, String fromAgency, Instant now) {
        if (request.toAgency().equals(fromAgency)) {
            throw new InvalidFieldException("toAgency", "an agency cannot transfer a case to itself");
        }
        CaseTransfer transfer = new CaseTransfer(UUID.randomUUID(), request.caseNumber().strip(),
                request.title().strip(), request.caseType(), fromAgency, request.toAgency(), request.reason().strip(),
                request.summary(), TransferState.SUBMITTED, now, now, 0);
        return new Submitted(transfer, new CaseTransferSubmitted(transfer.caseNumber(), transfer.title(),
                transfer.caseType().name(), transfer.reason()));
    }

    boolean isParty(String agencyId) {
        return fromAgency.equals(agencyId) || toAgency.equals(agencyId);
    }
}
