package cn.chuanyu.casetransfer.transfer;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import cn.chuanyu.casetransfer.agency.AgencyDirectory;
import cn.chuanyu.contracts.EventTypes;
import cn.chuanyu.kit.identity.Caller;
import cn.chuanyu.kit.outbox.Outbox;
import cn.chuanyu.kit.web.InvalidFieldException;
import cn.chuanyu.kit.web.NotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
class TransferService {

    private static final Logger log = LoggerFactory.getLogger(TransferService.class);

    private final TransferRepository transfers;
    private final AgencyDirectory agencies;
    private final Outbox outbox;
    private final Clock clock;

    TransferService(TransferRepository transfers, AgencyDirectory agencies, Outbox outbox, Clock clock) {
        this.transfers = transfers;
        this.agencies = agencies;
        this.outbox = outbox;
        this.clock = clock;
    }

    @Transactional
    CaseTransfer submit(SubmitTransferRequest request, Caller sender) {
        if (!agencies.exists(request.toAgency())) {
            throw new InvalidFieldException("toAgency", "no agency '" + request.toAgency() + "' is registered");
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        CaseTransfer.Submitted submitted = CaseTransfer.submit(request, sender.id(), now);
        CaseTransfer transfer = submitted.transfer();
        transfers.insert(transfer);
        outbox.append(EventTypes.CASE_TRANSFER_SUBMITTED, transfer.id().toString(), transfer.fromAgency(),
                transfer.toAgency(), submitted.event());
        log.info("case transfer {} submitted by {} to {}", transfer.id(), transfer.fromAgency(), transfer.toAgency());
        return transfer;
    }

    /** Only the two parties may see a transfer; to anyone else it does not exist. */
    @Transactional(readOnly = true)
    CaseTransfer get(UUID id, Caller caller) {
        return transfers.find(id)
                .filter(t -> t.isParty(caller.id()))
                .orElseThrow(() -> new NotFoundException("no case transfer " + id));
    }
}
