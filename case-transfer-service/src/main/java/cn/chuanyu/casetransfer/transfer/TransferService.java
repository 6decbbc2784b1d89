package cn.chuanyu.casetransfer.transfer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

import cn.chuanyu.casetransfer.deliveryevidence.DeliveryEvidences;
import cn.chuanyu.casetransfer.exchange.Acted;
import cn.chuanyu.casetransfer.exchange.CrossBorder;
import cn.chuanyu.casetransfer.exchange.Direction;
import cn.chuanyu.casetransfer.exchange.ExchangeEvents;
import cn.chuanyu.casetransfer.exchange.ExchangeParties;
import cn.chuanyu.casetransfer.exchange.ExpectedVersion;
import cn.chuanyu.casetransfer.exchange.ForwardedActions;
import cn.chuanyu.casetransfer.exchange.LinkedExchange;
import cn.chuanyu.casetransfer.exchange.OverdueSource;
import cn.chuanyu.casetransfer.exchange.PendingAction;
import cn.chuanyu.casetransfer.exchange.Transition;
import cn.chuanyu.contracts.CaseTransferDecided;
import cn.chuanyu.contracts.CaseTransferSubmitted;
import cn.chuanyu.contracts.EventEnvelope;
import cn.chuanyu.contracts.EventTypes;
import cn.chuanyu.contracts.ExchangeActionRefused;
import cn.chuanyu.contracts.ExchangeActionRequested;
import cn.chuanyu.kit.agency.AgencyDirectory;
import cn.chuanyu.kit.agency.AgencyState;
import cn.chuanyu.kit.domain.DomainException;
import cn.chuanyu.kit.domain.NotFoundException;
import cn.chuanyu.kit.domain.NotPermittedException;
import cn.chuanyu.kit.domain.RuleViolationException;
import cn.chuanyu.kit.json.Json;
import cn.chuanyu.kit.node.DeliveryEvidenceNotes;
import cn.chuanyu.kit.web.PageCursor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

@Service
class TransferService implements OverdueSource, LinkedExchange {

    private static final Logger log = LoggerFactory.getLogger(TransferService.class);
    static final String EVENT_PREFIX = "case-transfer";

    private final TransferRepository transfers;
    private final AgencyDirectory agencies;
    private final ExchangeEvents events;
    private final CrossBorder border;
    private final ForwardedActions forwarded;
    private final DeliveryEvidences evidences;
    private final Clock clock;
    private final Duration defaultDecisionTime;

    TransferService(TransferRepository transfers, AgencyDirectory agencies, ExchangeEvents events, CrossBorder border,
            ForwardedActions forwarded, DeliveryEvidences evidences, Clock clock,
            @Value("${chuanyu.deadlines.transfer-decision:P15D}") Duration defaultDecisionTime) {
        this.transfers = transfers;
        this.agencies = agencies;
        this.events = events;
        this.border = border;
        this.forwarded = forwarded;
        this.evidences = evidences;
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
        evidences.submissionAccepted(EVENT_PREFIX, record(submitted));
        log.info("case transfer {} submitted by {} to {}", transfer.id(), transfer.fromAgency(), transfer.toAgency());
        return transfer;
    }

    /** A party reads the transfer; the recipient's first read is the RETRIEVED evidence. */
    @Transactional
    CaseTransfer get(UUID id, String agency) {
        CaseTransfer transfer = transfers.find(id).orElseThrow(() -> notFound(id));
        transfer.rules().requireVisibleTo(agency);
        if (transfer.toAgency().equals(agency)) {
            evidences.retrieved(id.toString());
        }
        return transfer;
    }

    /** The recipient's action waiting for the origin's answer, on a replica. */
    @Transactional(readOnly = true)
    Optional<PendingAction> pendingAction(UUID id) {
        return forwarded.pending(id.toString());
    }

    /** The transfer's delivery evidences: its parties (404 for others, as for the transfer) and auditors. */
    @Transactional(readOnly = true)
    List<DeliveryEvidenceNotes.Evidence> evidences(UUID id, String agency) {
        CaseTransfer transfer = transfers.find(id).orElseThrow(() -> notFound(id));
        if (agency != null) {
            transfer.rules().requireVisibleTo(agency);
        }
        return evidences.of(id.toString());
    }

    /** Up to {@code limit} of the agency's transfers after the cursor, newest first. */
    @Transactional(readOnly = true)
    List<CaseTransfer> list(String agency, Direction direction, TransferState state, CaseType caseType,
            PageCursor after, int limit) {
        return transfers.list(agency, direction, state, caseType, after, limit);
    }

    @Transactional
    Acted<CaseTransfer> accept(UUID id, TransferCommands.Accept command) {
        return act(id, command.recipient(), "accept", t -> t.accept(command, now()),
                version -> new ExchangeActionRequested("accept", command.recipient(), version, command.note(), null),
                command.expected());
    }

    @Transactional
    Acted<CaseTransfer> reject(UUID id, TransferCommands.Reject command) {
        return act(id, command.recipient(), "reject", t -> t.reject(command, now()),
                version -> new ExchangeActionRequested("reject", command.recipient(), version, command.reason(),
                        null),
                command.expected());
    }

    @Transactional
    Acted<CaseTransfer> withdraw(UUID id, TransferCommands.Withdraw command) {
        return act(id, command.sender(), "withdraw", t -> t.withdraw(command, now()),
                version -> new ExchangeActionRequested("withdraw", command.sender(), version, command.reason(),
                        null),
                command.expected());
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

    @Override
    public String eventPrefix() {
        return EVENT_PREFIX;
    }

    @Override
    @Transactional(readOnly = true)
    public Optional<ExchangeParties> parties(UUID id) {
        return transfers.find(id).map(x -> new ExchangeParties(x.fromAgency(), x.toAgency(),
                transfers.originRegion(id).orElse(null)));
    }

    @Override
    @Transactional(propagation = Propagation.MANDATORY)
    public boolean storeReplica(EventEnvelope submitted, String originRegion) {
        CaseTransfer replica = CaseTransfer.replica(UUID.fromString(submitted.subject()), submitted.fromAgency(),
                submitted.toAgency(), Json.fromMap(submitted.data(), CaseTransferSubmitted.class), submitted.time());
        transfers.insertReplica(replica, originRegion);
        // A recipient suspended on its own node gets nothing in its inbox (as a local submission to it would be
        // refused); the replica is kept so both nodes know the exchange, and the caller issues NON_DELIVERY.
        boolean active = agencies.state(replica.toAgency()).filter(AgencyState.ACTIVE::equals).isPresent();
        events.recordReceived(submitted, active ? List.of(replica.toAgency()) : List.of());
        if (active) {
            log.info("case transfer {} from {} (decided by the {} node) delivered to {}", replica.id(),
                    replica.fromAgency(), originRegion, replica.toAgency());
        }
        else {
            log.warn("case transfer {} from {} (decided by the {} node) stored, not delivered: {} is not active here",
                    replica.id(), replica.fromAgency(), originRegion, replica.toAgency());
        }
        return active;
    }

    @Override
    @Transactional(propagation = Propagation.MANDATORY)
    public void applyOriginEvent(EventEnvelope event) {
        UUID id = UUID.fromString(event.subject());
        CaseTransfer replica = transfers.findForUpdate(id)
                .orElseThrow(() -> new IllegalStateException("no replica of case transfer " + id));
        Transition<CaseTransfer> applied = switch (event.type()) {
            case EventTypes.CASE_TRANSFER_ACCEPTED -> {
                CaseTransferDecided d = Json.fromMap(event.data(), CaseTransferDecided.class);
                yield replica.accept(new TransferCommands.Accept(d.actor(), ExpectedVersion.ANY, d.reason()),
                        event.time());
            }
            case EventTypes.CASE_TRANSFER_REJECTED -> {
                CaseTransferDecided d = Json.fromMap(event.data(), CaseTransferDecided.class);
                yield replica.reject(new TransferCommands.Reject(d.actor(), ExpectedVersion.ANY, d.reason()),
                        event.time());
            }
            case EventTypes.CASE_TRANSFER_WITHDRAWN -> {
                CaseTransferDecided d = Json.fromMap(event.data(), CaseTransferDecided.class);
                yield replica.withdraw(new TransferCommands.Withdraw(d.actor(), ExpectedVersion.ANY, d.reason()),
                        event.time());
            }
            case EventTypes.CASE_TRANSFER_OVERDUE -> replica.raiseOverdue(event.time());
            default -> null;
        };
        if (applied != null) {
            transfers.update(applied.after());
            events.recordReceived(event, applied.addressees());
            forwarded.resolved(event.subject(), null, answeredAction(event.type()), event.time());
            log.info("case transfer {} {} at its origin", id, applied.after().state());
        }
        else if (event.type().equals(EventTypes.CASE_TRANSFER_ACTION_REFUSED)) {
            ExchangeActionRefused refused = forwarded.refusalReceived(event);
            log.info("case transfer {}: the origin refused {} by {}: {}", id, refused.action(), refused.actor(),
                    refused.reason());
        }
        else {
            log.warn("case transfer {}: {} from the origin has no effect on a replica", id, event.type());
        }
    }

    @Override
    @Transactional(propagation = Propagation.MANDATORY)
    public void applyForwardedAction(EventEnvelope requested) {
        ExchangeActionRequested action = Json.fromMap(requested.data(), ExchangeActionRequested.class);
        UUID id = UUID.fromString(requested.subject());
        ExpectedVersion expected = action.expectedVersion() == null ? ExpectedVersion.ANY
                : ExpectedVersion.oneOf(Set.of(action.expectedVersion()));
        // The link refuses these on arrival already; an action-refused about an exchange the peer has no part in
        // would tell it that exchange's state, so no event at all.
        Optional<CaseTransfer> known = transfers.find(id);
        if (known.isEmpty() || !(border.isPeer(known.get().toAgency()) || border.isPeer(known.get().fromAgency()))) {
            log.warn("case transfer {}: forwarded {} by {} dropped: no transfer here with a party of the peer node",
                    id, action.action(), action.actor());
            return;
        }
        try {
            requireDecidedHere(id, action.actor());
            // The same service methods (and state machine) as a local party's action; called on this object, so
            // a refusal is caught here, before it could mark the link consumer's transaction for rollback.
            switch (action.action()) {
                case "accept" -> accept(id, new TransferCommands.Accept(action.actor(), expected, action.text()));
                case "reject" -> reject(id, new TransferCommands.Reject(action.actor(), expected, action.text()));
                default -> throw new RuleViolationException("action", "no action " + action.action()
                        + " is forwarded for a case transfer");
            }
        }
        catch (DomainException ex) {
            String state = transfers.find(id).map(t -> t.state().name()).orElse(null);
            events.record(EventTypes.CASE_TRANSFER_ACTION_REFUSED, requested.subject(), requested.fromAgency(),
                    requested.toAgency(), new ExchangeActionRefused(action.action(), action.actor(), requested.id(),
                            ex.getMessage(), state), List.of(action.actor()));
            log.info("case transfer {}: forwarded {} by {} refused: {}", id, action.action(), action.actor(),
                    ex.getMessage());
        }
    }

    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    /** Only the peer region's own agencies act over the link, and only on exchanges this node decides. */
    private void requireDecidedHere(UUID id, String actor) {
        if (!border.isPeer(actor)) {
            throw new NotPermittedException("agency " + actor + " is not served by the peer node");
        }
        if (transfers.originRegion(id).isPresent()) {
            throw new NotPermittedException("case transfer " + id + " is not decided by this node");
        }
    }

    /**
     * The row lock serialises concurrent actions on one transfer: of two accepts, the second sees ACCEPTED (409).
     * On a replica the state machine answers as at the origin (403, 404, 409, 412 alike), but the action is only
     * forwarded: the origin decides, and its outcome comes back over the link.
     */
    private Acted<CaseTransfer> act(UUID id, String agency, String name,
            Function<CaseTransfer, Transition<CaseTransfer>> action,
            Function<Integer, ExchangeActionRequested> forward, ExpectedVersion expected) {
        CaseTransfer current = transfers.findForUpdate(id).orElseThrow(() -> notFound(id));
        Transition<CaseTransfer> transition = action.apply(current);
        if (transfers.originRegion(id).isPresent()) {
            EventEnvelope requested = events.record(EventTypes.CASE_TRANSFER_ACTION_REQUESTED, id.toString(),
                    current.fromAgency(), current.toAgency(), forward.apply(expected.any() ? null : current.version()),
                    List.of());
            forwarded.forwarded(id.toString(), requested.id(), name, agency, requested.time());
            log.info("case transfer {}: {} by {} forwarded to its origin", id, name, agency);
            return new Acted<>(current, forwarded.pending(id.toString()).orElseThrow());
        }
        transfers.update(transition.after());
        record(transition);
        log.info("case transfer {} {} by {}", id, transition.after().state(), agency);
        return new Acted<>(transition.after(), null);
    }

    private EventEnvelope record(Transition<CaseTransfer> transition) {
        CaseTransfer t = transition.after();
        return events.record(transition, t.id().toString(), t.fromAgency(), t.toAgency());
    }

    /** The forwarded action an outcome answers; null (all of them) for the sender's withdrawal or an overdue. */
    private static String answeredAction(String type) {
        return switch (type) {
            case EventTypes.CASE_TRANSFER_ACCEPTED -> "accept";
            case EventTypes.CASE_TRANSFER_REJECTED -> "reject";
            case EventTypes.CASE_TRANSFER_WITHDRAWN -> null;
            default -> "-";
        };
    }

    private static NotFoundException notFound(UUID id) {
        return new NotFoundException("no case transfer " + id);
    }
}
