package cn.chuanyu.casetransfer.assistance;

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
import cn.chuanyu.casetransfer.transfer.TransferLookup;
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
class AssistanceService implements OverdueSource {

    private static final Logger log = LoggerFactory.getLogger(AssistanceService.class);

    private final AssistanceRepository requests;
    private final AgencyDirectory agencies;
    private final TransferLookup transfers;
    private final ExchangeEvents events;
    private final Clock clock;
    private final Duration defaultResponseTime;

    AssistanceService(AssistanceRepository requests, AgencyDirectory agencies, TransferLookup transfers,
            ExchangeEvents events, Clock clock,
            @Value("${chuanyu.deadlines.assistance-response:P30D}") Duration defaultResponseTime) {
        this.requests = requests;
        this.agencies = agencies;
        this.transfers = transfers;
        this.events = events;
        this.clock = clock;
        this.defaultResponseTime = defaultResponseTime;
    }

    @Transactional
    AssistanceRequest submit(SubmitAssistanceRequest request, Caller sender) {
        if (!agencies.exists(request.toAgency())) {
            throw new RuleViolationException("toAgency", "no agency '" + request.toAgency() + "' is registered");
        }
        if (request.caseTransferId() != null
                && !transfers.bothParties(request.caseTransferId(), sender.id(), request.toAgency())) {
            throw new RuleViolationException("caseTransferId",
                    "must be a case transfer between the caller and toAgency");
        }
        Instant now = now();
        Instant due = request.dueAt() == null ? now.plus(defaultResponseTime)
                : request.dueAt().truncatedTo(ChronoUnit.MICROS);
        Transition<AssistanceRequest> submitted = AssistanceRequest.submit(request, sender.id(), due, now);
        requests.insert(submitted.after());
        publish(submitted);
        log.info("assistance request {} ({}) submitted by {} to {}", submitted.after().id(), request.type(),
                sender.id(), request.toAgency());
        return submitted.after();
    }

    @Transactional(readOnly = true)
    AssistanceRequest get(UUID id, Caller caller) {
        AssistanceRequest request = requests.find(id).orElseThrow(() -> notFound(id));
        request.parties().requireVisibleTo(caller.id());
        return request;
    }

    @Transactional(readOnly = true)
    Page<AssistanceResponse> list(Caller caller, Direction direction, AssistanceState state, AssistanceType type,
            String cursor, Integer limit) {
        int size = Paging.limit(limit);
        PageCursor after = PageCursor.decode(cursor, 2);
        Instant now = now();
        return Paging.page(requests.list(caller.id(), direction, state, type, after, size + 1), size,
                r -> PageCursor.encode(r.createdAt(), r.id()), r -> AssistanceResponse.of(r, now));
    }

    @Transactional
    AssistanceRequest acknowledge(UUID id, Caller caller, String ifMatch) {
        return act(id, caller, ifMatch, r -> r.acknowledge(caller.id(), now()));
    }

    @Transactional
    AssistanceRequest complete(UUID id, Caller caller, String ifMatch, String result, UUID evidencePackageId) {
        return act(id, caller, ifMatch, r -> r.complete(caller.id(), result, evidencePackageId, now()));
    }

    @Transactional
    AssistanceRequest decline(UUID id, Caller caller, String ifMatch, String reason) {
        return act(id, caller, ifMatch, r -> r.decline(caller.id(), reason, now()));
    }

    @Override
    @Transactional
    public int raiseOverdue(int batch) {
        Instant now = now();
        int raised = 0;
        for (AssistanceRequest request : requests.overdueToRaise(now, batch)) {
            Transition<AssistanceRequest> overdue = request.raiseOverdue(now);
            requests.update(overdue.after());
            publish(overdue);
            raised++;
        }
        return raised;
    }

    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private AssistanceRequest act(UUID id, Caller caller, String ifMatch,
            Function<AssistanceRequest, Transition<AssistanceRequest>> action) {
        AssistanceRequest current = requests.findForUpdate(id).orElseThrow(() -> notFound(id));
        current.parties().requireVisibleTo(caller.id());
        Versions.checkIfMatch(ifMatch, current.version());
        Transition<AssistanceRequest> transition = action.apply(current);
        requests.update(transition.after());
        publish(transition);
        log.info("assistance request {} {} by {}", id, transition.after().state(), caller.id());
        return transition.after();
    }

    private void publish(Transition<AssistanceRequest> transition) {
        AssistanceRequest r = transition.after();
        events.publish(transition, r.id().toString(), r.fromAgency(), r.toAgency());
    }

    private static NotFoundException notFound(UUID id) {
        return new NotFoundException("no assistance request " + id);
    }
}
