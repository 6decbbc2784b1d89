package cn.chuanyu.casetransfer.assistance;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.function.Function;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import cn.chuanyu.casetransfer.deliveryevidence.DeliveryEvidences;
import cn.chuanyu.casetransfer.evidence.SealedPackages;
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
import cn.chuanyu.casetransfer.transfer.TransferLookup;
import cn.chuanyu.contracts.AssistanceProgressed;
import cn.chuanyu.contracts.AssistanceSubmitted;
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
class AssistanceService implements OverdueSource, LinkedExchange {

    private static final Logger log = LoggerFactory.getLogger(AssistanceService.class);
    static final String EVENT_PREFIX = "assistance";

    private final AssistanceRepository requests;
    private final AgencyDirectory agencies;
    private final TransferLookup transfers;
    private final SealedPackages sealedPackages;
    private final ExchangeEvents events;
    private final CrossBorder border;
    private final ForwardedActions forwarded;
    private final DeliveryEvidences evidences;
    private final Clock clock;
    private final Duration defaultResponseTime;

    AssistanceService(AssistanceRepository requests, AgencyDirectory agencies, TransferLookup transfers,
            SealedPackages sealedPackages, ExchangeEvents events, CrossBorder border, ForwardedActions forwarded,
            DeliveryEvidences evidences, Clock clock,
            @Value("${chuanyu.deadlines.assistance-response:P30D}") Duration defaultResponseTime) {
        this.requests = requests;
        this.agencies = agencies;
        this.transfers = transfers;
        this.sealedPackages = sealedPackages;
        this.events = events;
        this.border = border;
        this.forwarded = forwarded;
        this.evidences = evidences;
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
        evidences.submissionAccepted(EVENT_PREFIX, record(submitted));
        log.info("assistance request {} ({}) submitted by {} to {}", submitted.after().id(), command.type(),
                command.fromAgency(), command.toAgency());
        return submitted.after();
    }

    /** A party reads the request; the recipient's first read is the RETRIEVED evidence. */
    @Transactional
    AssistanceRequest get(UUID id, String agency) {
        AssistanceRequest request = requests.find(id).orElseThrow(() -> notFound(id));
        request.rules().requireVisibleTo(agency);
        if (request.toAgency().equals(agency)) {
            evidences.retrieved(id.toString());
        }
        return request;
    }

    /** The recipient's action waiting for the origin's answer, on a replica. */
    @Transactional(readOnly = true)
    Optional<PendingAction> pendingAction(UUID id) {
        return forwarded.pending(id.toString());
    }

    /** The request's delivery evidences: its parties (404 for others) and auditors ({@code agency} null). */
    @Transactional(readOnly = true)
    List<DeliveryEvidenceNotes.Evidence> evidences(UUID id, String agency) {
        AssistanceRequest request = requests.find(id).orElseThrow(() -> notFound(id));
        if (agency != null) {
            request.rules().requireVisibleTo(agency);
        }
        return evidences.of(id.toString());
    }

    /** Up to {@code limit} of the agency's requests after the cursor, newest first. */
    @Transactional(readOnly = true)
    List<AssistanceRequest> list(String agency, Direction direction, AssistanceState state, AssistanceType type,
            PageCursor after, int limit) {
        return requests.list(agency, direction, state, type, after, limit);
    }

    @Transactional
    Acted<AssistanceRequest> acknowledge(UUID id, AssistanceCommands.Acknowledge command) {
        return act(id, command.recipient(), "acknowledge", r -> r.acknowledge(command, now()),
                version -> new ExchangeActionRequested("acknowledge", command.recipient(), version, null, null),
                command.expected());
    }

    @Transactional
    Acted<AssistanceRequest> complete(UUID id, AssistanceCommands.Complete command) {
        return complete(id, command, true);
    }

    /**
     * {@code checkPackage} false only for a completion forwarded by the recipient's node, which checked the package
     * there: the recipient sealed it on its own node, whose seal this node may not have heard of.
     */
    private Acted<AssistanceRequest> complete(UUID id, AssistanceCommands.Complete command, boolean checkPackage) {
        return act(id, command.recipient(), "complete", r -> {
            // The aggregate first: who may complete, and from which state, answer before the package does.
            Transition<AssistanceRequest> completed = r.complete(command, now());
            if (checkPackage) {
                requireSealedPackage(r, command.evidencePackageId());
            }
            return completed;
        }, version -> new ExchangeActionRequested("complete", command.recipient(), version, command.result(),
                command.evidencePackageId() == null ? null : command.evidencePackageId().toString()),
                command.expected());
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
    Acted<AssistanceRequest> decline(UUID id, AssistanceCommands.Decline command) {
        return act(id, command.recipient(), "decline", r -> r.decline(command, now()),
                version -> new ExchangeActionRequested("decline", command.recipient(), version, command.reason(),
                        null),
                command.expected());
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

    @Override
    public String eventPrefix() {
        return EVENT_PREFIX;
    }

    @Override
    @Transactional(readOnly = true)
    public Optional<ExchangeParties> parties(UUID id) {
        return requests.find(id).map(x -> new ExchangeParties(x.fromAgency(), x.toAgency(),
                requests.originRegion(id).orElse(null)));
    }

    @Override
    @Transactional(propagation = Propagation.MANDATORY)
    public boolean storeReplica(EventEnvelope submitted, String originRegion) {
        AssistanceRequest replica = AssistanceRequest.replica(UUID.fromString(submitted.subject()),
                submitted.fromAgency(), submitted.toAgency(), Json.fromMap(submitted.data(), AssistanceSubmitted.class),
                submitted.time());
        requests.insertReplica(replica, originRegion);
        // As for transfers: a recipient suspended on its own node gets the replica stored but nothing delivered.
        boolean active = agencies.state(replica.toAgency()).filter(AgencyState.ACTIVE::equals).isPresent();
        events.recordReceived(submitted, active ? List.of(replica.toAgency()) : List.of());
        if (active) {
            log.info("assistance request {} from {} (decided by the {} node) delivered to {}", replica.id(),
                    replica.fromAgency(), originRegion, replica.toAgency());
        }
        else {
            log.warn("assistance request {} from {} (decided by the {} node) stored, not delivered: {} is not "
                    + "active here", replica.id(), replica.fromAgency(), originRegion, replica.toAgency());
        }
        return active;
    }

    @Override
    @Transactional(propagation = Propagation.MANDATORY)
    public void applyOriginEvent(EventEnvelope event) {
        UUID id = UUID.fromString(event.subject());
        AssistanceRequest replica = requests.findForUpdate(id)
                .orElseThrow(() -> new IllegalStateException("no replica of assistance request " + id));
        Transition<AssistanceRequest> applied = switch (event.type()) {
            case EventTypes.ASSISTANCE_ACKNOWLEDGED -> {
                AssistanceProgressed p = Json.fromMap(event.data(), AssistanceProgressed.class);
                yield replica.acknowledge(new AssistanceCommands.Acknowledge(p.actor(), ExpectedVersion.ANY),
                        event.time());
            }
            case EventTypes.ASSISTANCE_COMPLETED -> {
                AssistanceProgressed p = Json.fromMap(event.data(), AssistanceProgressed.class);
                yield replica.complete(new AssistanceCommands.Complete(p.actor(), ExpectedVersion.ANY, p.result(),
                        p.evidencePackageId() == null ? null : UUID.fromString(p.evidencePackageId())), event.time());
            }
            case EventTypes.ASSISTANCE_DECLINED -> {
                AssistanceProgressed p = Json.fromMap(event.data(), AssistanceProgressed.class);
                yield replica.decline(new AssistanceCommands.Decline(p.actor(), ExpectedVersion.ANY, p.reason()),
                        event.time());
            }
            case EventTypes.ASSISTANCE_OVERDUE -> replica.raiseOverdue(event.time());
            default -> null;
        };
        if (applied != null) {
            requests.update(applied.after());
            events.recordReceived(event, applied.addressees());
            forwarded.resolved(event.subject(), null, answeredAction(event.type()), event.time());
            log.info("assistance request {} {} at its origin", id, applied.after().state());
        }
        else if (event.type().equals(EventTypes.ASSISTANCE_ACTION_REFUSED)) {
            ExchangeActionRefused refused = forwarded.refusalReceived(event);
            log.info("assistance request {}: the origin refused {} by {}: {}", id, refused.action(),
                    refused.actor(), refused.reason());
        }
        else {
            log.warn("assistance request {}: {} from the origin has no effect on a replica", id, event.type());
        }
    }

    @Override
    @Transactional(propagation = Propagation.MANDATORY)
    public void applyForwardedAction(EventEnvelope requested) {
        ExchangeActionRequested action = Json.fromMap(requested.data(), ExchangeActionRequested.class);
        UUID id = UUID.fromString(requested.subject());
        ExpectedVersion expected = action.expectedVersion() == null ? ExpectedVersion.ANY
                : ExpectedVersion.oneOf(Set.of(action.expectedVersion()));
        // As for transfers: no action-refused (it carries the state) about a request the peer has no part in.
        Optional<AssistanceRequest> known = requests.find(id);
        if (known.isEmpty() || !(border.isPeer(known.get().toAgency()) || border.isPeer(known.get().fromAgency()))) {
            log.warn("assistance request {}: forwarded {} by {} dropped: no request here with a party of the peer "
                    + "node", id, action.action(), action.actor());
            return;
        }
        try {
            requireDecidedHere(id, action.actor());
            // The same service methods (and state machine) as a local recipient's action; called on this object, so
            // a refusal is caught here, before it could mark the link consumer's transaction for rollback.
            switch (action.action()) {
                case "acknowledge" -> acknowledge(id, new AssistanceCommands.Acknowledge(action.actor(), expected));
                case "complete" -> complete(id, new AssistanceCommands.Complete(action.actor(), expected,
                        action.text(), action.evidencePackageId() == null ? null
                                : UUID.fromString(action.evidencePackageId())), false);
                case "decline" -> decline(id, new AssistanceCommands.Decline(action.actor(), expected,
                        action.text()));
                default -> throw new RuleViolationException("action", "no action " + action.action()
                        + " is forwarded for an assistance request");
            }
        }
        catch (DomainException ex) {
            String state = requests.find(id).map(r -> r.state().name()).orElse(null);
            events.record(EventTypes.ASSISTANCE_ACTION_REFUSED, requested.subject(), requested.fromAgency(),
                    requested.toAgency(), new ExchangeActionRefused(action.action(), action.actor(), requested.id(),
                            ex.getMessage(), state), List.of(action.actor()));
            log.info("assistance request {}: forwarded {} by {} refused: {}", id, action.action(), action.actor(),
                    ex.getMessage());
        }
    }

    /** Only the peer region's own agencies act over the link, and only on requests this node decides. */
    private void requireDecidedHere(UUID id, String actor) {
        if (!border.isPeer(actor)) {
            throw new NotPermittedException("agency " + actor + " is not served by the peer node");
        }
        if (requests.originRegion(id).isPresent()) {
            throw new NotPermittedException("assistance request " + id + " is not decided by this node");
        }
    }

    /**
     * The row lock serialises concurrent actions on one request, as for transfers. On a replica the state machine
     * answers as at the origin, but the action is only forwarded: the origin decides (see TransferService).
     */
    private Acted<AssistanceRequest> act(UUID id, String agency, String name,
            Function<AssistanceRequest, Transition<AssistanceRequest>> action,
            Function<Integer, ExchangeActionRequested> forward, ExpectedVersion expected) {
        AssistanceRequest current = requests.findForUpdate(id).orElseThrow(() -> notFound(id));
        Transition<AssistanceRequest> transition = action.apply(current);
        if (requests.originRegion(id).isPresent()) {
            EventEnvelope requested = events.record(EventTypes.ASSISTANCE_ACTION_REQUESTED, id.toString(),
                    current.fromAgency(), current.toAgency(), forward.apply(expected.any() ? null : current.version()),
                    List.of());
            forwarded.forwarded(id.toString(), requested.id(), name, agency, requested.time());
            log.info("assistance request {}: {} by {} forwarded to its origin", id, name, agency);
            return new Acted<>(current, forwarded.pending(id.toString()).orElseThrow());
        }
        requests.update(transition.after());
        record(transition);
        log.info("assistance request {} {} by {}", id, transition.after().state(), agency);
        return new Acted<>(transition.after(), null);
    }

    private EventEnvelope record(Transition<AssistanceRequest> transition) {
        AssistanceRequest r = transition.after();
        return events.record(transition, r.id().toString(), r.fromAgency(), r.toAgency());
    }

    /** The forwarded action an outcome answers (none for an overdue). */
    private static String answeredAction(String type) {
        return switch (type) {
            case EventTypes.ASSISTANCE_ACKNOWLEDGED -> "acknowledge";
            case EventTypes.ASSISTANCE_COMPLETED -> "complete";
            case EventTypes.ASSISTANCE_DECLINED -> "decline";
            default -> "-";
        };
    }

    private static NotFoundException notFound(UUID id) {
        return new NotFoundException("no assistance request " + id);
    }
}
