package cn.chuanyu.casetransfer.assistance;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.function.Function;

import java.util.List;

import cn.chuanyu.casetransfer.evidence.SealedPackages;
import cn.chuanyu.casetransfer.exchange.Direction;
import cn.chuanyu.casetransfer.exchange.ExchangeEvents;
import cn.chuanyu.casetransfer.exchange.OverdueSource;
import cn.chuanyu.casetransfer.exchange.Transition;
import cn.chuanyu.casetransfer.transfer.TransferLookup;
import cn.chuanyu.kit.agency.AgencyDirectory;
import cn.chuanyu.kit.domain.NotFoundException;
import cn.chuanyu.kit.domain.RuleViolationException;
import cn.chuanyu.kit.web.PageCursor;
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
    private final SealedPackages sealedPackages;
    private final ExchangeEvents events;
    private final Clock clock;
    private final Duration defaultResponseTime;

    AssistanceService(AssistanceRepository requests, AgencyDirectory agencies, TransferLookup transfers,
            SealedPackages sealedPackages, ExchangeEvents events, Clock clock,
            @Value("${chuanyu.deadlines.assistance-response:P30D}") Duration defaultResponseTime) {
        this.requests = requests;
        this.agencies = agencies;
        this.transfers = transfers;
        this.sealedPackages = sealedPackages;
        this.events = events;
        this.clock = clock;
        this.defaultResponseTime = defaultResponseTime;
    }

    @Transactional
    AssistanceRequest submit(AssistanceCommands.Submit command) {
        agencies.requireActiveRecipient("toAgency", command.toAgency());
        if (command.caseTransferId() != null
                && !transfers.bothParties(command.caseTransferId(), command.fromAgency(), command.toAgency())) {
            throw new RuleViolationException("caseTransferId",
                    "must be a case transfer between the caller and toAgency");
        }
        Instant now = now();
        Instant due = command.dueAt() == null ? now.plus(defaultResponseTime)
                : command.dueAt().truncatedTo(ChronoUnit.MICROS);
        Transition<AssistanceRequest> submitted = AssistanceRequest.submit(command, due, now);
        requests.insert(submitted.after());
        record(submitted);
        log.info("assistance request {} ({}) submitted by {} to {}", submitted.after().id(), command.type(),
                command.fromAgency(), command.toAgency());
        return submitted.after();
    }

    @Transactional(readOnly = true)
    AssistanceRequest get(UUID id, String agency) {
        AssistanceRequest request = requests.find(id).orElseThrow(() -> notFound(id));
        request.rules().requireVisibleTo(agency);
        return request;
    }

    /** Up to {@code limit} of the agency's requests after the cursor, newest first. */
    @Transactional(readOnly = true)
    List<AssistanceRequest> list(String agency, Direction direction, AssistanceState state, AssistanceType type,
            PageCursor after, int limit) {
        return requests.list(agency, direction, state, type, after, limit);
    }

    @Transactional
    AssistanceRequest acknowledge(UUID id, AssistanceCommands.Acknowledge command) {
        return act(id, command.recipient(), r -> r.acknowledge(command, now()));
    }

    @Transactional
    AssistanceRequest complete(UUID id, AssistanceCommands.Complete command) {
        return act(id, command.recipient(), r -> {
            // The aggregate first: who may complete, and from which state, answer before the package does.
            Transition<AssistanceRequest> completed = r.complete(command, now());
            requireSealedPackage(r, command.evidencePackageId());
            return completed;
        });
    }

    /**
     * The package must be sealed by the request's recipient (who completes) for its requester, as known from the
     * evidence.sealed events this service consumes. One answer whether the package is unknown or between other
     * parties, so it tells nobody about packages they are not party to.
     */
    private void requireSealedPackage(AssistanceRequest request, UUID packageId) {
        if (packageId != null && !sealedPackages.sealedFromTo(packageId, request.toAgency(), request.fromAgency())) {
            throw new RuleViolationException("evidencePackageId", "no sealed evidence package " + packageId + " from "
                    + request.toAgency() + " to " + request.fromAgency() + " is known; a package sealed moments ago "
                    + "may take a few seconds to arrive here, so retry shortly if it was just sealed");
        }
    }

    @Transactional
    AssistanceRequest decline(UUID id, AssistanceCommands.Decline command) {
        return act(id, command.recipient(), r -> r.decline(command, now()));
    }

    @Override
    @Transactional
    public int raiseOverdue(int batch) {
        Instant now = now();
        int raised = 0;
        for (AssistanceRequest request : requests.overdueToRaise(now, batch)) {
            Transition<AssistanceRequest> overdue = request.raiseOverdue(now);
            requests.update(overdue.after());
            record(overdue);
            raised++;
        }
        return raised;
    }

    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    // The row lock serialises concurrent actions on one request, as for transfers.
    private AssistanceRequest act(UUID id, String agency,
            Function<AssistanceRequest, Transition<AssistanceRequest>> action) {
        AssistanceRequest current = requests.findForUpdate(id).orElseThrow(() -> notFound(id));
        Transition<AssistanceRequest> transition = action.apply(current);
        requests.update(transition.after());
        record(transition);
        log.info("assistance request {} {} by {}", id, transition.after().state(), agency);
        return transition.after();
    }

    private void record(Transition<AssistanceRequest> transition) {
        AssistanceRequest r = transition.after();
        events.record(transition, r.id().toString(), r.fromAgency(), r.toAgency());
    }

    private static NotFoundException notFound(UUID id) {
        return new NotFoundException("no assistance request " + id);
    }
}
