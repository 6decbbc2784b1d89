package cn.chuanyu.audit.accounts;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import cn.chuanyu.audit.AuditTestSupport;
import cn.chuanyu.contracts.EventEnvelope;
import cn.chuanyu.contracts.Messaging;
import cn.chuanyu.kit.identity.Ed25519Keys;
import cn.chuanyu.kit.json.Json;
import cn.chuanyu.kit.test.TestInfrastructure;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConnectionFactory;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Issue 13, "trust nothing inside": the audit service runs with the accounts the launch recipe makes, not as the
 * database superuser or the broker's guest. Its own database role can only add to and read the log; no broker user
 * can publish another service's event types, pass itself off as another user, or have an event recorded under a
 * producer its user does not stand for.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class AccountsIT {

    @DynamicPropertySource
    static void accounts(DynamicPropertyRegistry registry) {
        RecipeInstance.make();
        String role = RecipeInstance.dbRole("audit");
        String user = RecipeInstance.brokerUser("audit");
        registry.add("chuanyu.database.name", () -> RecipeInstance.database("audit"));
        registry.add("chuanyu.database.create-if-missing", () -> "false");
        registry.add("spring.datasource.username", () -> role);
        registry.add("spring.datasource.password", () -> RecipeInstance.dbPassword(role));
        registry.add("spring.flyway.user", RecipeInstance::ownerRole);
        registry.add("spring.flyway.password", () -> RecipeInstance.dbPassword(RecipeInstance.ownerRole()));
        registry.add("spring.rabbitmq.virtual-host", RecipeInstance::vhost);
        registry.add("spring.rabbitmq.username", () -> user);
        registry.add("spring.rabbitmq.password", () -> RecipeInstance.brokerPassword(user));
        registry.add("chuanyu.audit.publishers", RecipeInstance::auditPublishers);
        registry.add("chuanyu.identity.gateway-public-key",
                () -> Ed25519Keys.toPem(TestInfrastructure.GATEWAY_KEYS.getPublic()));
        registry.add("chuanyu.audit.signing-key-file",
                () -> AuditTestSupport.KEY_DIR.resolve("accounts.key").toString());
    }

    @Autowired
    JdbcClient jdbc;

    @Test
    void theAuditRoleCanAddToTheLogButNotChangeRemoveOrUnprotectIt() throws Exception {
        String exchangeId = UUID.randomUUID().toString();
        publish("case-transfer", Messaging.EVENTS_EXCHANGE, "case-transfer.submitted",
                event(exchangeId, "case-transfer.submitted"), "case-transfer-service", true);
        await().atMost(Duration.ofSeconds(30)).until(() -> producers(exchangeId).size() == 1);
        assertThat(producers(exchangeId)).containsExactly("case-transfer-service");

        String role = RecipeInstance.dbRole("audit");
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://localhost:5432/"
                + RecipeInstance.database("audit"), role, RecipeInstance.dbPassword(role))) {
            for (String statement : List.of(
                    "update audit_entry set type = 'forged' where exchange_id = '" + exchangeId + "'",
                    "delete from audit_entry where exchange_id = '" + exchangeId + "'",
                    "truncate audit_entry", "update audit_leaf set seq = seq", "delete from merkle_node",
                    "truncate tree_head", "alter table audit_entry disable trigger audit_entry_no_update",
                    "alter table audit_entry disable trigger all", "alter table merkle_node disable trigger all",
                    "drop trigger audit_entry_no_update on audit_entry", "drop table audit_entry cascade",
                    "create or replace function audit_entry_append_only() returns trigger language plpgsql "
                            + "as $$ begin return old; end $$",
                    "set session_replication_role = replica")) {
                assertThatThrownBy(() -> execute(c, statement)).as(statement)
                        .isInstanceOf(SQLException.class)
                        .satisfies(ex -> assertThat(((SQLException) ex).getSQLState())
                                .as(statement + ": " + ex.getMessage()).isEqualTo("42501"));
            }
        }
        assertThat(producers(exchangeId)).containsExactly("case-transfer-service");
    }

    @Test
    void anEventFromAUserThatDoesNotStandForItsProducerIsDeadLetteredNotRecorded() throws Exception {
        // The evidence service's user, through the default exchange straight into the audit queue, claiming to be
        // the case-transfer service.
        String forged = UUID.randomUUID().toString();
        publish("evidence", "", Messaging.AUDIT_QUEUE, event(forged, "case-transfer.submitted"),
                "case-transfer-service", true);
        // Anyone else on the broker (guest), without a user-id.
        String anonymous = UUID.randomUUID().toString();
        ConnectionFactory guest = factory("guest", "guest");
        try (var connection = guest.newConnection(); Channel channel = connection.createChannel()) {
            channel.confirmSelect();
            channel.basicPublish(Messaging.EVENTS_EXCHANGE, "case-transfer.submitted", properties(null,
                    "case-transfer-service"), body(event(anonymous, "case-transfer.submitted")));
            channel.waitForConfirmsOrDie(5000);
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> reason(forged) != null && reason(anonymous) != null);
        assertThat(reason(forged)).contains("forged producer", "case-transfer-service",
                RecipeInstance.brokerUser("evidence"));
        assertThat(reason(anonymous)).contains("unverified publisher", "no user-id");
        assertThat(producers(forged)).isEmpty();
        assertThat(producers(anonymous)).isEmpty();
    }

    @Test
    void theBrokerRefusesAUserIdThatIsNotTheConnectionsUser() {
        String exchangeId = UUID.randomUUID().toString();
        ConnectionFactory evidence = factory(RecipeInstance.brokerUser("evidence"),
                RecipeInstance.brokerPassword(RecipeInstance.brokerUser("evidence")));
        assertThatThrownBy(() -> {
            try (var connection = evidence.newConnection(); Channel channel = connection.createChannel()) {
                channel.confirmSelect();
                channel.basicPublish("", Messaging.AUDIT_QUEUE, properties(RecipeInstance.brokerUser("case-transfer"),
                        "case-transfer-service"), body(event(exchangeId, "case-transfer.submitted")));
                channel.waitForConfirmsOrDie(5000);
            }
        }).hasStackTraceContaining("PRECONDITION_FAILED").hasStackTraceContaining("user_id");
    }

    @Test
    void aServiceUserCanPublishOnlyItsOwnEventTypes() throws Exception {
        String own = UUID.randomUUID().toString();
        publish("evidence", Messaging.EVENTS_EXCHANGE, "evidence.sealed", event(own, "evidence.sealed"),
                "evidence-exchange-service", true);
        await().atMost(Duration.ofSeconds(30)).until(() -> producers(own).size() == 1);

        String other = UUID.randomUUID().toString();
        assertThatThrownBy(() -> publish("evidence", Messaging.EVENTS_EXCHANGE, "case-transfer.submitted",
                event(other, "case-transfer.submitted"), "case-transfer-service", true))
                .hasStackTraceContaining("ACCESS_REFUSED");
        assertThatThrownBy(() -> publish("gateway", Messaging.EVENTS_EXCHANGE, "ops.dead-letter-replayed",
                event(other, "ops.dead-letter-replayed"), "audit-service", true))
                .hasStackTraceContaining("ACCESS_REFUSED");
    }

    private List<String> producers(String exchangeId) {
        return jdbc.sql("select producer from audit_entry where exchange_id = :id order by seq")
                .param("id", exchangeId).query(String.class).list();
    }

    private String reason(String exchangeId) {
        return jdbc.sql("select reason from dead_letter where exchange_id = :id").param("id", exchangeId)
                .query(String.class).optional().orElse(null);
    }

    private static void execute(Connection c, String statement) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    /** Publishes as a service's broker user, with its own user-id when asked, and waits for the confirm. */
    private static void publish(String account, String exchange, String routingKey, EventEnvelope event,
            String producer, boolean withUserId) throws Exception {
        String user = RecipeInstance.brokerUser(account);
        try (var connection = factory(user, RecipeInstance.brokerPassword(user)).newConnection();
                Channel channel = connection.createChannel()) {
            channel.confirmSelect();
            channel.basicPublish(exchange, routingKey, true, properties(withUserId ? user : null, producer),
                    body(event));
            channel.waitForConfirmsOrDie(TimeUnit.SECONDS.toMillis(5));
        }
    }

    private static ConnectionFactory factory(String user, String password) {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("localhost");
        factory.setVirtualHost(RecipeInstance.vhost());
        factory.setUsername(user);
        factory.setPassword(password);
        return factory;
    }

    private static AMQP.BasicProperties properties(String userId, String producer) {
        return new AMQP.BasicProperties.Builder().contentType("application/json").deliveryMode(2).userId(userId)
                .messageId(UUID.randomUUID().toString())
                .headers(Map.of(Messaging.HEADER_PRODUCER, producer, Messaging.HEADER_PRODUCER_SEQ, 1L)).build();
    }

    private static byte[] body(EventEnvelope event) {
        return Json.write(event).getBytes(StandardCharsets.UTF_8);
    }

    private static EventEnvelope event(String exchangeId, String type) {
        return new EventEnvelope(UUID.randomUUID().toString(), "case-transfer-service", type, exchangeId,
                Instant.now().truncatedTo(ChronoUnit.MICROS), "corr-accounts", "sc-chengdu-intermediate-court",
                "cq-chongqing-first-intermediate-court", Map.of("caseNumber", "(2026)川01刑初9号"));
    }
}
