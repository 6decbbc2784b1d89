package cn.chuanyu.casetransfer.link;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import cn.chuanyu.casetransfer.CaseTransferServiceApplication;
import cn.chuanyu.casetransfer.support.Agencies;
import cn.chuanyu.contracts.Messaging;
import cn.chuanyu.kit.agency.AgencyDirectory;
import cn.chuanyu.kit.node.NodeIdentity;
import cn.chuanyu.kit.node.NodeProperties;
import cn.chuanyu.kit.test.TestInfrastructure;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.HeadersExchange;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Two case-transfer nodes in one JVM, Sichuan and Chongqing: each its own application context, database, vhost and
 * node key, pinned by the other. Between them the test is the link: it declares on each vhost the broker objects
 * the launch recipe declares ({@code chuanyu.link} bound from {@code chuanyu.events}, {@code chuanyu.link.to-<peer>}
 * selecting on {@code cy-link-to}, {@code chuanyu.link.in}) and moves what waits in {@code chuanyu.link.to-<peer>}
 * to the peer's {@code chuanyu.link.in}, as the Shovel does: same routing key, same headers, published as the link
 * user (a broker user of its own, so RabbitMQ itself vouches for the user-id). Holding a direction, or delivering
 * what waits in reverse, is how tests cut the link and shuffle its order.
 */
final class TwoNodes implements AutoCloseable {

    static final String LINK_PASSWORD = "link-secret";

    final Node sc;
    final Node cq;
    /** Several test classes start two nodes in one JVM: each pair gets its own link user, vhosts and databases. */
    private static final java.util.concurrent.atomic.AtomicInteger PAIRS = new java.util.concurrent.atomic.AtomicInteger();
    private final String pair = suffix(PAIRS.getAndIncrement());
    final String linkUser = "cyx-link-" + TestInfrastructure.RUN_ID + pair;

    record Node(String region, String vhost, ConfigurableApplicationContext context, int port, String verifierKey,
            CachingConnectionFactory admin, CachingConnectionFactory link) {

        JdbcClient jdbc() {
            return context.getBean(JdbcClient.class);
        }

        String linkOut() {
            return Messaging.linkOutQueue(region.equals("SC") ? "CQ" : "SC");
        }
    }

    TwoNodes() throws Exception {
        this(Map.of());
    }

    /** @param extra properties both nodes start with (over application.yml) */
    TwoNodes(Map<String, String> extra) throws Exception {
        Path keys = Files.createTempDirectory("cyx-two-nodes");
        String scKey = verifierKey("sc.test.local", keys.resolve("sc.key"));
        String cqKey = verifierKey("cq.test.local", keys.resolve("cq.key"));
        TestInfrastructure.rabbitmqctl("add_user", linkUser, LINK_PASSWORD);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> TestInfrastructure.rabbitmqctl("delete_user", linkUser)));
        sc = start("SC", "CQ", "sc.test.local", keys.resolve("sc.key"), "cq.test.local", cqKey, scKey, extra);
        cq = start("CQ", "SC", "cq.test.local", keys.resolve("cq.key"), "sc.test.local", scKey, cqKey, extra);
        for (Node node : List.of(sc, cq)) {
            Agencies.registerIn(node.context().getBean(AgencyDirectory.class));
        }
    }

    private static String suffix(int pair) {
        return pair == 0 ? "" : "-" + pair;
    }

    private static String verifierKey(String name, Path file) {
        return new NodeIdentity(new NodeProperties("", name, file, "", new NodeProperties.Peer("", "", "", "", "")))
                .signer().verifierKey();
    }

    private Node start(String region, String peer, String name, Path keyFile, String peerName, String peerKey,
            String ownKey, Map<String, String> extra) {
        String vhost = "cyx-test-" + TestInfrastructure.RUN_ID + pair + "-" + region.toLowerCase();
        TestInfrastructure.rabbitmqctl("add_vhost", vhost);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> TestInfrastructure.rabbitmqctl("delete_vhost", vhost)));
        TestInfrastructure.rabbitmqctl("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*");
        // The peer's link user may write chuanyu.link.in only (docs/two-regions.md).
        TestInfrastructure.rabbitmqctl("set_permissions", "-p", vhost, linkUser, "^$", "^chuanyu\\.link\\.in$", "^$");
        CachingConnectionFactory admin = factory(vhost, "guest", "guest");
        declareLink(new RabbitAdmin(admin), peer);

        Map<String, Object> props = new HashMap<>(TestInfrastructure.properties("case_transfer_" + region.toLowerCase()
                + pair.replace('-', '_')));
        props.put("spring.rabbitmq.virtual-host", vhost);
        props.put("server.port", "0");
        props.put("spring.jmx.enabled", "false");
        // Two services of their own on a shared PostgreSQL: a small pool each.
        props.put("spring.datasource.hikari.maximum-pool-size", "4");
        props.put("chuanyu.deadlines.scan-interval", "1h");
        props.put("chuanyu.node.region", region);
        props.put("chuanyu.node.name", name);
        props.put("chuanyu.node.key-file", keyFile.toString());
        props.put("chuanyu.node.peer.region", peer);
        props.put("chuanyu.node.peer.name", peerName);
        props.put("chuanyu.node.peer.verifier-key", peerKey);
        props.put("chuanyu.link.user", linkUser);
        props.putAll(extra);
        // As command-line arguments: they win over application.yml (default properties would not).
        ConfigurableApplicationContext context = new SpringApplicationBuilder(CaseTransferServiceApplication.class)
                .run(props.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new));
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        return new Node(region, vhost, context, port, ownKey, admin, factory(vhost, linkUser, LINK_PASSWORD));
    }

    private static CachingConnectionFactory factory(String vhost, String user, String password) {
        CachingConnectionFactory factory = new CachingConnectionFactory("localhost");
        factory.setVirtualHost(vhost);
        factory.setUsername(user);
        factory.setPassword(password);
        return factory;
    }

    /** What the launch recipe declares on each node's vhost. */
    private static void declareLink(RabbitAdmin admin, String peer) {
        TopicExchange events = new TopicExchange(Messaging.EVENTS_EXCHANGE, true, false);
        HeadersExchange link = new HeadersExchange(Messaging.LINK_EXCHANGE, true, false);
        Queue out = new Queue(Messaging.linkOutQueue(peer), true);
        admin.declareExchange(events);
        admin.declareExchange(link);
        admin.declareExchange(new TopicExchange(Messaging.LINK_IN_EXCHANGE, true, false));
        admin.declareQueue(out);
        admin.declareBinding(BindingBuilder.bind(link).to(events).with(Messaging.ALL_EVENTS));
        admin.declareBinding(new Binding(out.getName(), Binding.DestinationType.QUEUE, Messaging.LINK_EXCHANGE, "",
                Map.of("x-match", "all", Messaging.HEADER_LINK_TO, peer)));
    }

    Node other(Node node) {
        return node == sc ? cq : sc;
    }

    /** Takes everything waiting to cross from {@code from} (at the moment), in queue order. */
    List<Message> take(Node from) {
        RabbitTemplate template = new RabbitTemplate(from.admin());
        List<Message> taken = new ArrayList<>();
        Message message;
        while ((message = template.receive(from.linkOut())) != null) {
            taken.add(message);
        }
        return taken;
    }

    /** Waits until at least {@code count} messages wait to cross from {@code from}, and takes them. */
    List<Message> takeAtLeast(Node from, int count, Duration timeout) {
        List<Message> taken = new ArrayList<>();
        Instant deadline = Instant.now().plus(timeout);
        while (taken.size() < count) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("only " + taken.size() + " of " + count + " messages waited to cross from "
                        + from.region() + " within " + timeout);
            }
            taken.addAll(take(from));
            sleep(50);
        }
        return taken;
    }

    /** Publishes to the peer of {@code from} as its Shovel would. */
    void deliver(Node from, List<Message> messages) {
        RabbitTemplate template = new RabbitTemplate(other(from).link());
        for (Message m : messages) {
            MessageProperties p = m.getMessageProperties();
            p.setUserId(linkUser);
            template.send(Messaging.LINK_IN_EXCHANGE, p.getReceivedRoutingKey(), new Message(m.getBody(), p));
        }
    }

    /** Delivers what waits in both directions until {@code condition} holds. */
    void pumpUntil(BooleanSupplier condition, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("the two nodes did not get there within " + timeout);
            }
            deliver(sc, take(sc));
            deliver(cq, take(cq));
            sleep(100);
        }
    }

    /** Delivers both ways for a while: whatever was still on its way has arrived afterwards. */
    void settle(Duration duration) {
        Instant end = Instant.now().plus(duration);
        while (Instant.now().isBefore(end)) {
            deliver(sc, take(sc));
            deliver(cq, take(cq));
            sleep(100);
        }
    }

    static List<Message> reversed(List<Message> messages) {
        List<Message> copy = new ArrayList<>(messages);
        Collections.reverse(copy);
        return copy;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    @Override
    public void close() {
        for (Node node : List.of(sc, cq)) {
            node.context().close();
            node.admin().destroy();
            node.link().destroy();
        }
    }
}
