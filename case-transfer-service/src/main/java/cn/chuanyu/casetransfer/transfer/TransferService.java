package cn.chuanyu.casetransfer.transfer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.function.Function;

import java.util.List;

import cn.chuanyu.casetransfer.exchange.Direction;
import cn.chuanyu.casetransfer.exchange.ExchangeEvents;
import cn.chuanyu.casetransfer.exchange.OverdueSource;
import cn.chuanyu.casetransfer.exchange.Transition;
import cn.chuanyu.kit.agency.AgencyDirectory;
import cn.chuanyu.kit.domain.NotFoundException;
import cn.chuanyu.kit.web.PageCursor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
class TransferService implements OverdueSource {

    private static final Logger log = LoggerFactory.getLogger(TransferService.class);

    private final TransferRepository transfers;
    private final AgencyDirectory agencies;
    private final ExchangeEvents events;
    private final Clock clock;
    private final Duration defaultDecisionTime;

    TransferService(TransferRepository transfers, AgencyDirectory agencies, ExchangeEvents events, Clock clock,
            @Value("${chuanyu.deadlines.transfer-decision:P15D}") Duration defaultDecisionTime) {
        this.transfers = transfers;
        this.agencies = agencies;
        this.events = events;
        this.clock = clock;
        this.defaultDecisionTime = defaultDecisionTime;
    }

    @Transactional
    CaseTransfer submit(TransferCommands.Submit command) {
        agencies.requireActiveRecipient("toAgency", command.toAgency());
        Instant now = now();
        Instant due = command.decisionDueAt() == null ? now.plus(defaultDecisionTime)
                : command.decisionDueAt().truncatedTo(ChronoUnit.MICROS);
        Transition<CaseTransfer> submitted = CaseTransfer.submit(command, due, now);
        CaseTransfer transfer = submitted.after();
        transfers.insert(transfer);
        record(submitted);
        log.info("case transfer {} submitted by {} to {}", transfer.id(), transfer.fromAgency(), transfer.toAgency());
        return transfer;
    }

    @Transactional(readOnly = true)
    CaseTransfer get(UUID id, String agency) {
        CaseTransfer transfer = transfers.find(id).orElseThrow(() -> notFound(id));
        transfer.rules().requireVisibleTo(agency);
        return transfer;
    }

    /** Up to {@code limit} of the agency's transfers after the cursor, newest first. */
    @Transactional(readOnly = true)
    List<CaseTransfer> list(String agency, Direction direction, TransferState state, CaseType caseType,
            PageCursor after, int limit) {
        return transfers.list(agency, direction, state, caseType, after, limit);
    }

    @Transactional
    CaseTransfer accept(UUID id, TransferCommands.Accept command) {
        return act(id, command.recipient(), t -> t.accept(command, now()));
    }

    @Transactional
    CaseTransfer reject(UUID id, TransferCommands.Reject command) {
        return act(id, command.recipient(), t -> t.reject(command, now()));
    }

    @Transactional
    CaseTransfer withdraw(UUID id, TransferCommands.Withdraw command) {
        return act(id, command.sender(), t -> t.withdraw(command, now()));
    }

    @Override
    @Transactional
    public int raiseOverdue(int batch) {
        Instant now = now();
        int raised = 0;
        for (CaseTransfer transfer : transfers.overdueToRaise(now, batch)) {
            Transition<CaseTransfer> overdue = transfer.raiseOverdue(now);
            transfers.update(overdue.after());
            record(overdue);
            raised++;
        }
        return raised;
    }

    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    // The row lock serialises concurrent actions on one transfer: of two accepts, the second sees ACCEPTED (409).
    private CaseTransfer act(UUID id, String agency, Function<CaseTransfer, Transition<CaseTransfer>> action) {
        CaseTransfer current = transfers.findForUpdate(id).orElseThrow(() -> notFound(id));
        Transition<CaseTransfer> transition = action.apply(current);
        transfers.update(transition.after());
        record(transition);
        log.info("case transfer {} {} by {}", id, transition.after().state(), agency);
        return transition.after();
    }

    private void record(Transition<CaseTransfer> transition) {
        CaseTransfer t = transition.after();
        events.record(transition, t.id().toString(), t.fromAgency(), t.toAgency());
    }

    private static NotFoundException notFound(UUID id) {
        return new NotFoundException("no case transfer " + id);
    }
}
