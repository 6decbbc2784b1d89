package cn.chuanyu.kit.agency;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import cn.chuanyu.contracts.AgencyKind;
import cn.chuanyu.contracts.AgencyRegistered;
import cn.chuanyu.contracts.AgencySuspended;
import cn.chuanyu.contracts.EventEnvelope;
import cn.chuanyu.contracts.EventTypes;
import cn.chuanyu.contracts.Messaging;
import cn.chuanyu.contracts.Region;
import cn.chuanyu.kit.KitTestApplication;
import cn.chuanyu.kit.consumer.ConsumerQueues;
import cn.chuanyu.kit.consumer.DeadLetterHeaders;
import cn.chuanyu.kit.domain.RuleViolationException;
import cn.chuanyu.kit.identity.Ed25519Keys;
import cn.chuanyu.kit.json.Json;
import cn.chuanyu.kit.note.NoteSigner;
import cn.chuanyu.kit.test.BrokerAdmin;
import cn.chuanyu.kit.test.TestInfrastructure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The agency directory of a service on the Sichuan node (two-region mode), on the real broker: the peer's (CQ)
 * registry events that arrive over the link, published as the link user, make CQ agencies valid recipients; the
 * local gateway's events keep working; a CQ agency announced by anyone but the link user, an SC agency announced
 * over the link, and anything published on the link exchange by another user are dead-lettered with the reason.
 */
@SpringBootTest(classes = KitTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = {"chuanyu.outbox.relay-enabled=false",
            "chuanyu.agencies.queue=" + AgencyLinkIT.QUEUE,
            "chuanyu.node.region=SC",
            "chuanyu.node.name=sc.chuanyu.test",
            "chuanyu.node.peer.region=CQ",
            "chuanyu.node.peer.name=cq.chuanyu.test",
            "spring.rabbitmq.listener.simple.retry.max-retries=1",
            "spring.rabbitmq.listener.simple.retry.initial-interval=20ms"})
class AgencyLinkIT {

    static final String QUEUE = "kit-test.agencies";

    /** The broker user the CQ node's Shovel publishes as here: may write the link exchange, nothing else. */
    static final String LINK_USER = "cyx-test-link-in-" + TestInfrastructure.RUN_ID;
    static final String LINK_PASSWORD = UUID.randomUUID().toString();

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.register(registry, "kit");
        // What the launch recipe declares before the services start.
        BrokerAdmin.declareExchange(TestInfrastructure.vhost(), Messaging.LINK_IN_EXCHANGE, "topic");
        BrokerAdmin.user(LINK_USER, LINK_PASSWORD, "", TestInfrastructure.vhost(), "^$",
                "^" + Messaging.LINK_IN_EXCHANGE.replace(".", "\\\\.") + "$", "^$");
        registry.add("chuanyu.link.user", () -> LINK_USER);
        registry.add("chuanyu.node.peer.verifier-key",
                () -> new NoteSigner("cq.chuanyu.test", Ed25519Keys.generate()).verifierKey());
    }

    @AfterAll
    static void removeLinkUser() {
        BrokerAdmin.deleteUser(LINK_USER);
    }

    @Autowired
    JdbcClient jdbc;

    @Autowired
    RabbitTemplate rabbit;

    @Autowired
    AgencyDirectory directory;

    @BeforeEach
    void agencyTable() {
        // What a service's migrations create (case-transfer V1 and later).
        jdbc.sql("""
                create table if not exists agency (id text primary key, name text not null, region text not null,
                  kind text not null, registered_at timestamptz not null default now(),
                  state text not null default 'ACTIVE', state_changed_at timestamptz, suspended_at timestamptz)""")
                .update();
    }

    @Test
    void aPeerAgencyArrivingOverTheLinkBecomesAValidRecipientAndItsSuspensionHolds() {
        String agency = newId("cq");
        overLink(registered(agency, Region.CQ));
        await().atMost(Duration.ofSeconds(20)).until(() -> directory.exists(agency));
        assertThat(directory.region(agency)).contains(Region.CQ);
        directory.requireActiveRecipient("toAgency", agency);

        overLink(event(EventTypes.AGENCY_SUSPENDED, agency, new AgencySuspended(agency, "test", "ops-operator")));
        await().atMost(Duration.ofSeconds(20)).until(() -> directory.state(agency).orElseThrow() == AgencyState.SUSPENDED);
        assertThatThrownBy(() -> directory.requireActiveRecipient("toAgency", agency))
                .isInstanceOf(RuleViolationException.class);
    }

    @Test
    void theLocalGatewaysEventsAboutLocalAgenciesKeepWorking() {
        String agency = newId("sc");
        locally(registered(agency, Region.SC));
        await().atMost(Duration.ofSeconds(20)).until(() -> directory.exists(agency));
        assertThat(directory.region(agency)).contains(Region.SC);
    }

    @Test
    void aPeerAgencyAnnouncedByAnyoneButTheLinkUserIsDeadLetteredAndStaysUnknown() {
        String agency = newId("cq");
        EventEnvelope forged = registered(agency, Region.CQ);
        locally(forged);
        assertDeadLettered(forged, "did not come over the link");
        assertThat(directory.exists(agency)).isFalse();

        // The local user on the link exchange itself (only the Shovel may publish there).
        EventEnvelope onLinkExchange = registered(newId("cq"), Region.CQ);
        Message message = message(onLinkExchange);
        message.getMessageProperties().setUserId("guest");
        rabbit.send(Messaging.LINK_IN_EXCHANGE, onLinkExchange.type(), message);
        assertDeadLettered(onLinkExchange, "not by the link user");
        assertThat(directory.exists(onLinkExchange.subject())).isFalse();
    }

    @Test
    void anOwnRegionAgencyOverTheLinkIsDeadLetteredNamingTheReason() {
        String agency = newId("sc");
        EventEnvelope forged = registered(agency, Region.SC);
        overLink(forged);
        assertDeadLettered(forged, "the link speaks only for agencies of the peer region CQ");
        assertThat(directory.exists(agency)).isFalse();

        // Nor may the link suspend one of ours.
        String local = newId("sc");
        locally(registered(local, Region.SC));
        await().atMost(Duration.ofSeconds(20)).until(() -> directory.exists(local));
        EventEnvelope suspension = event(EventTypes.AGENCY_SUSPENDED, local,
                new AgencySuspended(local, "forged", "ops-operator"));
        overLink(suspension);
        assertDeadLettered(suspension, "the link speaks only for agencies of the peer region CQ");
        assertThat(directory.state(local)).contains(AgencyState.ACTIVE);
    }

    @Test
    void theLinkCannotTakeOverALocalAgencyByRegisteringItAsThePeers() {
        String local = newId("sc");
        locally(registered(local, Region.SC));
        await().atMost(Duration.ofSeconds(20)).until(() -> directory.exists(local));

        // The peer claims our agency for its region: the claimed region is the peer's, the stored one is not.
        EventEnvelope takeover = registered(local, Region.CQ);
        overLink(takeover);
        assertDeadLettered(takeover, "the link may not change an agency's region");
        assertThat(directory.region(local)).contains(Region.SC);
        assertThat(jdbc.sql("select name from agency where id = :id").param("id", local).query(String.class).single())
                .isEqualTo("测试 " + local);

        // So it cannot suspend it afterwards either.
        EventEnvelope suspension = event(EventTypes.AGENCY_SUSPENDED, local,
                new AgencySuspended(local, "takeover", "ops-operator"));
        overLink(suspension);
        assertDeadLettered(suspension, "the link speaks only for agencies of the peer region CQ");
        assertThat(directory.state(local)).contains(AgencyState.ACTIVE);

        // The peer's own agency, registered again over the link (a renamed one), still updates.
        String peer = newId("cq");
        overLink(registered(peer, Region.CQ));
        await().atMost(Duration.ofSeconds(20)).until(() -> directory.exists(peer));
        EventEnvelope renamed = event(EventTypes.AGENCY_REGISTERED, peer,
                new AgencyRegistered(peer, "改名 " + peer, Region.CQ, AgencyKind.COURT));
        overLink(renamed);
        await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.sql("select name from agency where id = :id")
                .param("id", peer).query(String.class).single().equals("改名 " + peer));
        assertThat(directory.region(peer)).contains(Region.CQ);
    }

    private void assertDeadLettered(EventEnvelope event, String reason) {
        Message dead = await().atMost(Duration.ofSeconds(20)).until(
                () -> rabbit.receive(ConsumerQueues.deadLetterQueueName(QUEUE), 200),
                m -> m != null && Json.read(m.getBody()).id().equals(event.id()));
        assertThat(dead.getMessageProperties().<String>getHeader(DeadLetterHeaders.FAILURE_REASON)).contains(reason);
    }

    private static String newId(String prefix) {
        return prefix + "-link-test-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static EventEnvelope registered(String agency, Region region) {
        return event(EventTypes.AGENCY_REGISTERED, agency,
                new AgencyRegistered(agency, "测试 " + agency, region, AgencyKind.COURT));
    }

    private static EventEnvelope event(String type, String agency, Object data) {
        return new EventEnvelope(UUID.randomUUID().toString(), "gateway", type, agency,
                Instant.now().truncatedTo(ChronoUnit.MICROS), null, agency, null, Json.toMap(data));
    }

    private static Message message(EventEnvelope event) {
        MessageProperties properties = new MessageProperties();
        properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
        properties.setMessageId(event.id());
        return new Message(Json.write(event).getBytes(StandardCharsets.UTF_8), properties);
    }

    /** As the local gateway publishes: on the events exchange, with its own user-id. */
    private void locally(EventEnvelope event) {
        Message message = message(event);
        message.getMessageProperties().setUserId("guest");
        rabbit.send(Messaging.EVENTS_EXCHANGE, event.type(), message);
    }

    /** As the peer's Shovel delivers: on the link exchange, as the link user. */
    private static void overLink(EventEnvelope event) {
        CachingConnectionFactory factory = new CachingConnectionFactory("localhost");
        factory.setUsername(LINK_USER);
        factory.setPassword(LINK_PASSWORD);
        factory.setVirtualHost(TestInfrastructure.vhost());
        try {
            Message message = message(event);
            message.getMessageProperties().setUserId(LINK_USER);
            new RabbitTemplate(factory).send(Messaging.LINK_IN_EXCHANGE, event.type(), message);
        }
        finally {
            factory.destroy();
        }
    }
}
