package cn.chuanyu.audit.link;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import cn.chuanyu.contracts.EventTypes;
import cn.chuanyu.contracts.LinkStateChanged;
import cn.chuanyu.contracts.Messaging;
import cn.chuanyu.contracts.Region;
import cn.chuanyu.kit.domain.NotFoundException;
import cn.chuanyu.kit.domain.StateConflictException;
import cn.chuanyu.kit.node.NodeIdentity;
import cn.chuanyu.kit.outbox.Outbox;
import cn.chuanyu.kit.web.ServiceUnavailableException;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The link from this node to the peer region's node, read from this node's broker: the Shovel {@code link-to-<peer>}
 * that moves what waits in {@code chuanyu.link.to-<peer>} to the peer, and this node's link-in consumer queues.
 * <p>
 * State ({@link LinkHealth}): PAUSED when the Shovel's definition is absent (an operator or
 * {@code ./platform link down} removed it), RUNNING when it is defined and running, STARTING when it has not been
 * running for less than {@code chuanyu.link.ops.down-after} (connecting after a resume, a short blip), DOWN when it
 * has not been running for longer (the peer's broker unreachable, credentials refused), with the broker's last
 * reason. Whether it runs comes from the broker's Shovel status when the admin user may see it (tag
 * {@code monitoring}); with {@code policymaker} alone, from whether the Shovel consumes its source queue. "Since" is
 * the Shovel's own status time when the broker gives one (for STARTING and DOWN: the start of the stretch not
 * running, as first seen), otherwise when this service first saw the state. The last delivery is when this service
 * saw the outbound queue's
 * acknowledged count grow (the Shovel acks each message once the peer confirmed it), to within the poll interval.
 * <p>
 * Only this node's direction can be paused here: the peer's Shovel runs on the peer's broker and is its operators'.
 */
public class LinkMonitor implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(LinkMonitor.class);

    /** The link's states. */
    public enum State { RUNNING, STARTING, PAUSED, DOWN }

    /** The consumer queues events from the peer land in, on this node: inbound waiting is their depth. */
    static final List<String> INBOUND_QUEUES = List.of(Messaging.CASE_TRANSFER_LINK_QUEUE,
            Messaging.EVIDENCE_LINK_QUEUE);

    /**
     * The link to one peer as operators see it.
     *
     * @param peer                the peer's region
     * @param shovel              the Shovel carrying this node's side ({@code link-to-<peer>})
     * @param state               RUNNING, STARTING, PAUSED or DOWN
     * @param since               since when it is in that state (null when unknown)
     * @param reason              why it is not RUNNING: paused, or what the broker last said (null when running)
     * @param outboundWaiting     messages waiting on this node to cross to the peer
     * @param inboundWaiting      messages from the peer waiting for this node's consumers
     * @param oldestWaitingAge    seconds the oldest outbound message has waited (null when none waits, or the
     *                            broker gives no head timestamp)
     * @param lastDeliveryAt      when a message last crossed from here, as seen by this service (null: not yet)
     */
    public record Link(String peer, String shovel, State state, Instant since, String reason, long outboundWaiting,
            long inboundWaiting, Long oldestWaitingAge, Instant lastDeliveryAt) {
    }

    private final NodeIdentity node;
    private final RabbitManagement broker;
    private final LinkOpsProperties props;
    private final Outbox outbox;
    private final TransactionTemplate tx;
    private final JsonMapper json;
    private final Clock clock;
    private final ConcurrentHashMap<String, LinkHealth.Decision> decided = new ConcurrentHashMap<>();
    private final AtomicReference<Link> lastRead = new AtomicReference<>();
    private volatile long lastAcked = -1;
    private volatile Instant lastDeliveryAt;
    private volatile ScheduledExecutorService poller;

    LinkMonitor(NodeIdentity node, RabbitManagement broker, LinkOpsProperties props, Outbox outbox,
            TransactionTemplate tx, JsonMapper json, Clock clock, MeterRegistry meters) {
        this.node = node;
        this.broker = broker;
        this.props = props;
        this.outbox = outbox;
        this.tx = tx;
        this.json = json;
        this.clock = clock;
        node.peerRegion().ifPresent(peer -> {
            String tag = peer.name();
            Gauge.builder("chuanyu.link.messages.waiting", lastRead, r -> r.get() == null ? Double.NaN
                    : r.get().outboundWaiting()).tag("peer", tag).tag("direction", "outbound")
                    .description("Messages waiting on this node to cross the link to the peer").register(meters);
            Gauge.builder("chuanyu.link.messages.waiting", lastRead, r -> r.get() == null ? Double.NaN
                    : r.get().inboundWaiting()).tag("peer", tag).tag("direction", "inbound")
                    .description("Messages from the peer waiting for this node's consumers").register(meters);
            Gauge.builder("chuanyu.link.backlog.age", lastRead, r -> r.get() == null ? Double.NaN
                    : r.get().oldestWaitingAge() == null ? 0 : r.get().oldestWaitingAge()).tag("peer", tag)
                    .baseUnit("seconds")
                    .description("How long the oldest message waiting to cross to the peer has waited")
                    .register(meters);
        });
    }

    /** The links of this node: none on one node, one (to the peer) in two-region mode. */
    public List<Link> links() {
        return node.peerRegion().map(peer -> List.of(read(peer))).orElse(List.of());
    }

    /** The last state read (by a request or the poller), without asking the broker; empty before the first. */
    public Optional<Link> lastKnown() {
        return Optional.ofNullable(lastRead.get());
    }

    /** The link to {@code peer} ("CQ" or "cq"); 404 when it is not this node's peer. */
    Link link(String peer) {
        return read(peerRegion(peer));
    }

    /** Removes the Shovel's definition: what crosses waits in the outbound queue. Audited. */
    synchronized Link pause(String peer, String operator) {
        Region region = peerRegion(peer);
        String shovel = shovelName(region);
        Link before = read(region);
        if (before.state() == State.PAUSED) {
            throw new StateConflictException("the link to " + region + " is already paused", State.PAUSED.name());
        }
        tx.executeWithoutResult(status -> {
            outbox.append(EventTypes.OPS_LINK_PAUSED, shovel, null, null,
                    new LinkStateChanged(region.name(), shovel, before.outboundWaiting(), operator));
            if (!broker.deleteShovel(shovel)) {
                throw new StateConflictException("the link to " + region + " is already paused",
                        State.PAUSED.name());
            }
        });
        log.info("link to {} paused by {} ({} messages waiting)", region, operator, before.outboundWaiting());
        return read(region);
    }

    /** Restores the Shovel's definition from the kept file: what waited crosses, in order. Audited. */
    synchronized Link resume(String peer, String operator) {
        Region region = peerRegion(peer);
        String shovel = shovelName(region);
        Link before = read(region);
        if (before.state() != State.PAUSED) {
            throw new StateConflictException("the link to " + region + " is not paused (it is " + before.state()
                    + ")", before.state().name());
        }
        String definition = definition();
        tx.executeWithoutResult(status -> {
            outbox.append(EventTypes.OPS_LINK_RESUMED, shovel, null, null,
                    new LinkStateChanged(region.name(), shovel, before.outboundWaiting(), operator));
            broker.putShovel(shovel, definition);
        });
        log.info("link to {} resumed by {} ({} messages waiting)", region, operator, before.outboundWaiting());
        return read(region);
    }

    static String shovelName(Region peer) {
        return "link-to-" + peer.name().toLowerCase(Locale.ROOT);
    }

    private Region peerRegion(String peer) {
        Optional<Region> mine = node.peerRegion();
        if (mine.isEmpty() || peer == null || !mine.get().name().equalsIgnoreCase(peer)) {
            throw new NotFoundException("no link to '" + peer + "': "
                    + mine.map(r -> "this node's peer is " + r).orElse("this node runs without a peer"));
        }
        return mine.get();
    }

    private Link read(Region peer) {
        String shovel = shovelName(peer);
        String outQueue = Messaging.linkOutQueue(peer.name());
        boolean defined = broker.shovelDefined(shovel);
        Optional<RabbitManagement.QueueStatus> outbound = broker.queue(outQueue);
        Optional<RabbitManagement.ShovelStatus> status = Optional.empty();
        if (defined) {
            try {
                status = broker.shovelStatus(shovel);
            }
            catch (RabbitManagement.ShovelStatusHidden hidden) {
                // Without the monitoring tag: a running Shovel is the consumer of its source queue.
                boolean consuming = outbound.map(q -> q.consumers() > 0).orElse(false);
                status = Optional.of(new RabbitManagement.ShovelStatus(consuming ? "running"
                        : "not consuming " + outQueue, null, null));
            }
        }
        Instant now = clock.instant();
        Optional<RabbitManagement.ShovelStatus> seen = status;
        LinkHealth.Decision current = decided.compute(peer.name(), (k, previous) -> {
            LinkHealth.Decision next = LinkHealth.decide(defined, seen, previous, now, props.downAfter());
            if (next.state() == State.DOWN && (previous == null || previous.state() != State.DOWN)) {
                log.warn("link to {} DOWN: {}", peer, next.reason());
            }
            else if (previous != null && previous.state() == State.DOWN && next.state() != State.DOWN) {
                log.info("link to {} {} again after being down since {}", peer, next.state(), previous.since());
            }
            return next;
        });

        long outboundWaiting = outbound.map(RabbitManagement.QueueStatus::messages).orElse(0L);
        Long age = outbound.filter(q -> q.messages() > 0 && q.headTimestamp() != null)
                .map(q -> Math.max(0, Duration.between(q.headTimestamp(), now).toSeconds())).orElse(null);
        outbound.ifPresent(q -> noteAcks(q.acked(), now));
        long inbound = 0;
        for (String queue : INBOUND_QUEUES) {
            inbound += broker.queue(queue).map(RabbitManagement.QueueStatus::messages).orElse(0L);
        }
        Link link = new Link(peer.name(), shovel, current.state(), current.since(), current.reason(), outboundWaiting,
                inbound, age, lastDeliveryAt);
        lastRead.set(link);
        return link;
    }

    private synchronized void noteAcks(long acked, Instant now) {
        if (lastAcked >= 0 && acked > lastAcked) {
            lastDeliveryAt = now;
        }
        lastAcked = acked;
    }

    /** The kept Shovel definition as the management API's PUT body ({@code {"value": {...}}}). */
    private String definition() {
        if (props.shovelFile() == null || props.shovelFile().toString().isBlank()
                || !Files.isRegularFile(props.shovelFile())) {
            throw new ServiceUnavailableException(RabbitManagement.SERVICE, "the link's Shovel definition is not "
                    + "available (CHUANYU_LINK_SHOVEL_FILE: " + props.shovelFile() + ")", 60, null);
        }
        try {
            JsonNode kept = json.readTree(Files.readString(props.shovelFile()));
            return kept.has("value") ? json.writeValueAsString(kept)
                    : json.writeValueAsString(json.createObjectNode().set("value", kept));
        }
        catch (IOException | RuntimeException ex) {
            throw new ServiceUnavailableException(RabbitManagement.SERVICE, "the link's Shovel definition "
                    + props.shovelFile() + " cannot be read: " + ex.getMessage(), 60, ex);
        }
    }

    // Refreshes the gauges and notices deliveries between requests.

    @Override
    public void start() {
        if (node.peerRegion().isEmpty() || poller != null) {
            return;
        }
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "link-monitor");
            thread.setDaemon(true);
            return thread;
        });
        long every = Math.max(1, props.pollInterval().toMillis());
        executor.scheduleWithFixedDelay(this::poll, 0, every, TimeUnit.MILLISECONDS);
        poller = executor;
    }

    private void poll() {
        try {
            links();
        }
        catch (RuntimeException ex) {
            log.debug("link state not read: {}", ex.getMessage());
        }
    }

    @Override
    public void stop() {
        ScheduledExecutorService executor = poller;
        poller = null;
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    @Override
    public boolean isRunning() {
        return poller != null;
    }
}
