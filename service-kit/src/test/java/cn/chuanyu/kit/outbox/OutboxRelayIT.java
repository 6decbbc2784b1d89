package cn.chuanyu.kit.outbox;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

import cn.chuanyu.contracts.EventEnvelope;
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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The relay against the real RabbitMQ and PostgreSQL; the background relay is off so each pass is explicit. */
@SpringBootTest(classes = KitTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = "chuanyu.outbox.relay-enabled=false")
class OutboxRelayIT {

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        // A database of its own: the other kit tests' cached contexts run relays that would publish these rows too.
        TestInfrastructure.register(registry, "kit_relay");
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
    private RabbitTemplate rabbit;
    private String probe;

    @BeforeEach
    void probeQueue() {
        admin = new RabbitAdmin(connectionFactory);
        rabbit = new RabbitTemplate(connectionFactory);
        // Earlier tests' rows must not interfere: each test relays only what it appended.
        jdbc.sql("update outbox_event set sent_at = now() where sent_at is null").update();
        probe = "probe-" + UUID.randomUUID();
        // Not auto-delete: a test may receive several times, and each receive ends its consumer.
        admin.declareQueue(new Queue(probe, false, false, false));
        admin.declareBinding(BindingBuilder.bind(new Queue(probe)).to(new TopicExchange(Messaging.EVENTS_EXCHANGE))
                .with("test.#"));
    }

    @AfterEach
    void removeProbe() {
        admin.deleteQueue(probe);
    }

    @Test
    void aCommittedEventIsPublishedAndMarkedSentOnlyAfterTheConfirm() {
        EventEnvelope appended = inTransaction(() -> outbox.append("test.happened", "exchange-1", "sc-a", "cq-b",
                Map.of("answer", 42)));
        assertThat(row(appended.id()).sentAt()).isNull();

        relay.relayOnce();

        Message message = rabbit.receive(probe, 5000);
        assertThat(message).isNotNull();
        assertThat(message.getMessageProperties().getMessageId()).isEqualTo(appended.id());
        assertThat(EventJson.read(message.getBody())).isEqualTo(appended);
        assertThat(row(appended.id()).sentAt()).isNotNull();
    }

    @Test
    void everyPublishedEventCarriesItsProducerAndTheNextGaplessNumber() {
        EventEnvelope[] first = new TransactionTemplate(txManager).execute(status -> new EventEnvelope[] {
            outbox.append("test.numbered", "exchange-n", "sc-a", "cq-b", Map.of("i", 1)),
            outbox.append("test.numbered", "exchange-n", "sc-a", "cq-b", Map.of("i", 2))});
        EventEnvelope third = inTransaction(() -> outbox.append("test.numbered", "exchange-n", "sc-a", "cq-b",
                Map.of("i", 3)));

        relay.relayOnce();

        long[] numbers = new long[3];
        String[] ids = {first[0].id(), first[1].id(), third.id()};
        for (int i = 0; i < 3; i++) {
            Message message = rabbit.receive(probe, 5000);
            assertThat(message).isNotNull();
            assertThat(message.getMessageProperties().getMessageId()).isEqualTo(ids[i]);
            assertThat((String) message.getMessageProperties().getHeader(Messaging.HEADER_PRODUCER))
                    .isEqualTo("kit-test");
            numbers[i] = ((Number) message.getMessageProperties().getHeader(Messaging.HEADER_PRODUCER_SEQ))
                    .longValue();
            assertThat(numbers[i]).isEqualTo(producerSeq(ids[i]));
        }
        assertThat(numbers[1]).isEqualTo(numbers[0] + 1);
        assertThat(numbers[2]).isEqualTo(numbers[1] + 1);
        assertThat(jdbc.sql("select last_seq from producer_counter where source = 'kit-test'").query(Long.class)
                .single()).isGreaterThanOrEqualTo(numbers[2]);
    }

    @Test
    void aRowKeepsItsNumberThroughEveryRetry() {
        String exchange = "missing-" + UUID.randomUUID();
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                insert into outbox_event (event_id, exchange, routing_key, payload)
                values (:id, :exchange, 'test.retried', '{}')""")
                .param("id", id)
                .param("exchange", exchange)
                .update();
        relay.relayOnce();
        long number = producerSeq(id.toString());
        assertThat(row(id.toString()).attempts()).isEqualTo(1);

        EventEnvelope later = inTransaction(() -> outbox.append("test.after-retry", "exchange-r", "sc-a", "cq-b",
                Map.of()));
        relay.relayOnce();
        assertThat(producerSeq(later.id())).isEqualTo(number + 1);
        assertThat(rabbit.receive(probe, 5000).getMessageProperties().getMessageId()).isEqualTo(later.id());

        jdbc.sql("update outbox_event set exchange = :exchange, next_attempt_at = now() where event_id = :id")
                .param("exchange", Messaging.EVENTS_EXCHANGE)
                .param("id", id)
                .update();
        relay.relayOnce();

        Message retried = rabbit.receive(probe, 5000);
        assertThat(retried).isNotNull();
        assertThat(retried.getMessageProperties().getMessageId()).isEqualTo(id.toString());
        assertThat(((Number) retried.getMessageProperties().getHeader(Messaging.HEADER_PRODUCER_SEQ)).longValue())
                .isEqualTo(number);
        assertThat(producerSeq(id.toString())).isEqualTo(number);
    }

    @Test
    void relaysSideBySideNumberWithoutGapsOrDuplicates() throws Exception {
        long before = jdbc.sql("select coalesce(max(producer_seq), 0) from outbox_event").query(Long.class).single();
        int rows = 600;
        jdbc.sql("""
                insert into outbox_event (event_id, exchange, routing_key, payload)
                select gen_random_uuid(), :exchange, 'test.crowd', '{}' from generate_series(1, :rows)""")
                .param("exchange", Messaging.EVENTS_EXCHANGE)
                .param("rows", rows)
                .update();

        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            java.util.List<java.util.concurrent.Future<?>> relays = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                relays.add(pool.submit(() -> {
                    while (relay.relayOnce() > 0) {
                        // keep going until nothing is due
                    }
                }));
            }
            for (java.util.concurrent.Future<?> f : relays) {
                f.get(60, java.util.concurrent.TimeUnit.SECONDS);
            }
        }
        finally {
            pool.shutdownNow();
        }

        java.util.List<Long> numbers = jdbc.sql("""
                select producer_seq from outbox_event where routing_key = 'test.crowd' and producer_seq > :before
                order by producer_seq""")
                .param("before", before)
                .query(Long.class)
                .list();
        assertThat(numbers).hasSize(rows);
        for (int i = 0; i < rows; i++) {
            assertThat(numbers.get(i)).isEqualTo(before + 1 + i);
        }
        assertThat(jdbc.sql("select count(*) from outbox_event where routing_key = 'test.crowd' and sent_at is null")
                .query(Long.class).single()).isZero();
    }

    @Test
    void anEventOfARolledBackChangeIsNeverPublished() {
        String[] id = new String[1];
        new TransactionTemplate(txManager).executeWithoutResult(status -> {
            id[0] = outbox.append("test.rolled-back", "exchange-2", "sc-a", "cq-b", Map.of()).id();
            status.setRollbackOnly();
        });

        relay.relayOnce();

        assertThat(countRows(id[0])).isZero();
        assertThat(rabbit.receive(probe, 500)).isNull();
    }

    @Test
    void appendingOutsideATransactionIsRefused() {
        assertThatThrownBy(() -> outbox.append("test.no-tx", "exchange-3", "sc-a", "cq-b", Map.of()))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aPublishTheBrokerRefusesStaysPendingAndGoesOutOnceTheExchangeExists() {
        String exchange = "missing-" + UUID.randomUUID();
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                insert into outbox_event (event_id, exchange, routing_key, payload)
                values (:id, :exchange, 'test.refused', :payload)""")
                .param("id", id)
                .param("exchange", exchange)
                .param("payload", "{\"probe\":true}")
                .update();

        relay.relayOnce();

        PendingState refused = row(id.toString());
        assertThat(refused.sentAt()).isNull();
        assertThat(refused.attempts()).isEqualTo(1);
        assertThat(refused.lastError()).containsIgnoringCase("not_found");

        admin.declareExchange(new TopicExchange(exchange, false, true));
        admin.declareBinding(BindingBuilder.bind(new Queue(probe)).to(new TopicExchange(exchange)).with("#"));
        jdbc.sql("update outbox_event set next_attempt_at = now() where event_id = :id").param("id", id).update();
        relay.relayOnce();

        assertThat(row(id.toString()).sentAt()).isNotNull();
        Message message = rabbit.receive(probe, 5000);
        assertThat(message).isNotNull();
        assertThat(new String(message.getBody(), StandardCharsets.UTF_8)).isEqualTo("{\"probe\":true}");
    }

    @Test
    void anUnroutableEventIsNotCountedAsSent() {
        String exchange = "nobody-listens-" + UUID.randomUUID();
        admin.declareExchange(new TopicExchange(exchange, false, true));
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                insert into outbox_event (event_id, exchange, routing_key, payload)
                values (:id, :exchange, 'test.unroutable', '{}')""")
                .param("id", id)
                .param("exchange", exchange)
                .update();

        relay.relayOnce();

        PendingState state = row(id.toString());
        assertThat(state.sentAt()).isNull();
        assertThat(state.lastError()).startsWith("unroutable");
        admin.deleteExchange(exchange);
    }

    @Test
    void aFailedRowWaitsForItsBackOffBeforeTheNextAttempt() {
        String exchange = "missing-" + UUID.randomUUID();
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                insert into outbox_event (event_id, exchange, routing_key, payload)
                values (:id, :exchange, 'test.backoff', '{}')""")
                .param("id", id)
                .param("exchange", exchange)
                .update();

        relay.relayOnce();
        relay.relayOnce();

        assertThat(row(id.toString()).attempts()).isEqualTo(1);
        jdbc.sql("update outbox_event set sent_at = now() where event_id = :id").param("id", id).update();
    }

    private EventEnvelope inTransaction(java.util.function.Supplier<EventEnvelope> work) {
        return new TransactionTemplate(txManager).execute(status -> work.get());
    }

    private int countRows(String eventId) {
        return jdbc.sql("select count(*) from outbox_event where event_id = :id")
                .param("id", UUID.fromString(eventId))
                .query(Integer.class)
                .single();
    }

    private long producerSeq(String eventId) {
        return jdbc.sql("select producer_seq from outbox_event where event_id = :id")
                .param("id", UUID.fromString(eventId))
                .query(Long.class)
                .single();
    }

    private PendingState row(String eventId) {
        return jdbc.sql("select sent_at, attempts, last_error from outbox_event where event_id = :id")
                .param("id", UUID.fromString(eventId))
                .query((rs, n) -> new PendingState(rs.getTimestamp(1), rs.getInt(2), rs.getString(3)))
                .single();
    }

    record PendingState(java.sql.Timestamp sentAt, int attempts, String lastError) {
    }
}
