package cn.chuanyu.kit.outbox;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import cn.chuanyu.contracts.Messaging;
import cn.chuanyu.kit.KitTestApplication;
import cn.chuanyu.kit.test.TestInfrastructure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Events leave in the order they were committed. Many exchanges are each submitted and, in a transaction of its
 * own right after, accepted, from several writer threads at once, while relay passes run: one at a time, and two
 * in flight side by side (what two instances of one service do on their shared outbox). The queue must receive
 * the producer's events with {@code cy-producer-seq} strictly rising, every exchange's {@code submitted} before its
 * {@code accepted}, each event once. Guaranteed per producer (all instances of a service share one outbox and one
 * counter), for events whose first publish succeeds; an event re-sent after a failed publish may arrive late.
 */
@SpringBootTest(classes = KitTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = "chuanyu.outbox.relay-enabled=false")
class OutboxOrderIT {

    private static final int WRITERS = 8;
    private static final int EXCHANGES_PER_WRITER = 125;
    private static final int EVENTS = WRITERS * EXCHANGES_PER_WRITER * 2;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        // A database of its own: other kit tests' contexts run relays that would publish these rows too.
        TestInfrastructure.register(registry, "kit_order");
    }

    @Autowired
    Outbox outbox;

    @Autowired
    OutboxRelay relay;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ConnectionFactory connectionFactory;

    @Autowired
    PlatformTransactionManager txManager;

    private RabbitAdmin admin;
    private String probe;

    @BeforeEach
    void probeQueue() {
        admin = new RabbitAdmin(connectionFactory);
        jdbc.sql("update outbox_event set sent_at = now() where sent_at is null").update();
        probe = "order-probe-" + UUID.randomUUID();
        admin.declareQueue(new Queue(probe, false, false, false));
        admin.declareBinding(BindingBuilder.bind(new Queue(probe)).to(new TopicExchange(Messaging.EVENTS_EXCHANGE))
                .with("test.order.#"));
    }

    @AfterEach
    void removeProbe() {
        admin.deleteQueue(probe);
    }

    @Test
    void oneRelayPassAtATimeSendsEveryEventInCommitOrder() throws Exception {
        writeWhileRelaying(1);
        assertArrivedInOrder();
    }

    @Test
    void twoRelaysSideBySideStillSendInCommitOrder() throws Exception {
        writeWhileRelaying(2);
        assertArrivedInOrder();
    }

    /** Writers start together on a barrier; the relays keep passing until the writers are done and nothing is due. */
    private void writeWhileRelaying(int relays) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS + relays);
        CyclicBarrier start = new CyclicBarrier(WRITERS + relays);
        AtomicBoolean writing = new AtomicBoolean(true);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                writers.add(pool.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    TransactionTemplate tx = new TransactionTemplate(txManager);
                    for (int i = 0; i < EXCHANGES_PER_WRITER; i++) {
                        String subject = run + "-" + writer + "-" + i;
                        tx.executeWithoutResult(s -> outbox.append("test.order.submitted", subject, "sc-a", "cq-b",
                                Map.of("step", 1)));
                        tx.executeWithoutResult(s -> outbox.append("test.order.accepted", subject, "cq-b", "sc-a",
                                Map.of("step", 2)));
                    }
                    return null;
                }));
            }
            List<Future<?>> relayers = new ArrayList<>();
            for (int r = 0; r < relays; r++) {
                relayers.add(pool.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    while (relay.relayOnce() > 0 || writing.get()) {
                        Thread.onSpinWait();
                    }
                    return null;
                }));
            }
            for (Future<?> writer : writers) {
                writer.get(120, TimeUnit.SECONDS);
            }
            writing.set(false);
            for (Future<?> relayer : relayers) {
                relayer.get(120, TimeUnit.SECONDS);
            }
        }
        finally {
            writing.set(false);
            pool.shutdownNow();
        }
        assertThat(jdbc.sql("select count(*) from outbox_event where sent_at is null").query(Long.class).single())
                .as("rows left unsent").isZero();
    }

    private void assertArrivedInOrder() {
        RabbitTemplate rabbit = new RabbitTemplate(connectionFactory);
        List<String> inversions = new ArrayList<>();
        Map<String, String> lastStepOf = new HashMap<>();
        long previousSeq = 0;
        int received = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (received < EVENTS && System.nanoTime() < deadline) {
            Message message = rabbit.receive(probe, 1000);
            if (message == null) {
                continue;
            }
            received++;
            long seq = ((Number) message.getMessageProperties().getHeader(Messaging.HEADER_PRODUCER_SEQ)).longValue();
            if (seq <= previousSeq) {
                inversions.add("producer seq " + seq + " after " + previousSeq);
            }
            previousSeq = Math.max(previousSeq, seq);
            var event = EventJson.read(message.getBody());
            String before = lastStepOf.put(event.subject(), event.type());
            boolean inOrder = event.type().equals("test.order.submitted") ? before == null
                    : "test.order.submitted".equals(before);
            if (!inOrder) {
                inversions.add(event.subject() + ": " + event.type() + " after " + before);
            }
        }
        assertThat(received).as("events received").isEqualTo(EVENTS);
        assertThat(rabbit.receive(probe, 500)).as("a copy too many").isNull();
        assertThat(inversions.size()).as("inversions, the first: %s", inversions.subList(0, Math.min(10, inversions.size())))
                .isZero();
    }
}
