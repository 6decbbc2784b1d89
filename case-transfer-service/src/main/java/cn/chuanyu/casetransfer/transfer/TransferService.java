package cn.chuanyu.casetransfer.transfer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.function.Function;

import cn.chuanyu.casetransfer.exchange.Direction;
import cn.chuanyu.casetransfer.exchange.ExchangeEvents;
import cn.chuanyu.casetransfer.exchange.OverdueSource;
import cn.chuanyu.casetransfer.exchange.Transition;
import cn.chuanyu.casetransfer.exchange.Versions;
import cn.chuanyu.kit.agency.AgencyDirectory;
import cn.chuanyu.kit.identity.Caller;
import cn.chuanyu.kit.domain.RuleViolationException;
import cn.chuanyu.kit.domain.NotFoundException;
import cn.chuanyu.kit.web.Page;
import cn.chuanyu.kit.web.PageCursor;
import cn.chuanyu.kit.web.Paging;
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
    CaseTransfer submit(SubmitTransferRequest request, Caller sender) {
        if (!agencies.exists(request.toAgency())) {
            throw new RuleViolationException("toAgency", "no agency '" + request.toAgency() + "' is registered");
        }
        Instant now = now();
        Instant due = request.decisionDueAt() == null ? now.plus(defaultDecisionTime)
                : request.decisionDueAt().truncatedTo(ChronoUnit.MICROS);
        Transition<CaseTransfer> submitted = CaseTransfer.submit(request, sender.id(), due, now);
        CaseTransfer transfer = submitted.after();
        transfers.insert(transfer);
        publish(submitted);
        log.info("case transfer {} submitted by {} to {}", transfer.id(), transfer.fromAgency(), transfer.toAgency());
        return transfer;
    }

    @Transactional(readOnly = true)
    CaseTransfer get(UUID id, Caller caller) {
        CaseTransfer transfer = transfers.find(id).orElseThrow(() -> notFound(id));
        transfer.parties().requireVisibleTo(caller.id());
        return transfer;
    }

    @Transactional(readOnly = true)
    Page<TransferResponse> list(Caller caller, Direction direction, TransferState state, CaseType caseType,
            String cursor, Integer limit) {
        int size = Paging.limit(limit);
        PageCursor after = PageCursor.decode(cursor, 2);
        Instant now = now();
        return Paging.page(transfers.list(caller.id(), direction, state, caseType, after, size + 1), size,
                t -> PageCursor.encode(t.createdAt(), t.id()), t -> TransferResponse.of(t, now));
    }

    @Transactional
    CaseTransfer accept(UUID id, Caller caller, String ifMatch, String note) {
        return act(id, caller, ifMatch, t -> t.accept(caller.id(), note, now()));
    }

    @Transactional
    CaseTransfer reject(UUID id, Caller caller, String ifMatch, String reason) {
        return act(id, caller, ifMatch, t -> t.reject(caller.id(), reason, now()));
    }

    @Transactional
    CaseTransfer withdraw(UUID id, Caller caller, String ifMatch, String reason) {
        return act(id, caller, ifMatch, t -> t.withdraw(caller.id(), reason, now()));
    }

    @Override
    @Transactional
    public int raiseOverdue(int batch) {
        Instant now = now();
        int raised = 0;
        for (CaseTransfer transfer : transfers.overdueToRaise(now, batch)) {
            Transition<CaseTransfer> overdue = transfer.raiseOverdue(now);
            transfers.update(overdue.after());
            publish(overdue);
            raised++;
        }
        return raised;
    }

    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    // The row lock serialises concurrent actions on one transfer: of two accepts, the second sees ACCEPTED (409).
    private CaseTransfer act(UUID id, Caller caller, String ifMatch,
            Function<CaseTransfer, Transition<CaseTransfer>> action) {
        CaseTransfer current = transfers.findForUpdate(id).orElseThrow(() -> notFound(id));
        current.parties().requireVisibleTo(caller.id());
        Versions.checkIfMatch(ifMatch, current.version());
        Transition<CaseTransfer> transition = action.apply(current);
        transfers.update(transition.after());
        publish(transition);
        log.info("case transfer {} {} by {}", id, transition.after().state(), caller.id());
        return transition.after();
    }

    private void publish(Transition<CaseTransfer> transition) {
        CaseTransfer t = transition.after();
        events.publish(transition, t.id().toString(), t.fromAgency(), t.toAgency());
    }

    private static NotFoundException notFound(UUID id) {
        return new NotFoundException("no case transfer " + id);
    }
}
