package cn.chuanyu.casetransfer.link;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import cn.chuanyu.casetransfer.support.Agencies;
import cn.chuanyu.contracts.Messaging;
import cn.chuanyu.contracts.Role;
import cn.chuanyu.kit.identity.Caller;
import cn.chuanyu.kit.test.TestHttp;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import tools.jackson.databind.JsonNode;

import static cn.chuanyu.casetransfer.link.TwoNodes.Node;
import static cn.chuanyu.casetransfer.support.Agencies.CQ_COURT;
import static cn.chuanyu.casetransfer.support.Agencies.SC_COURT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An exchange whose first link event never arrives: its later events wait in {@code link_pending} on the recipient's
 * node, which says so (gauges, operators' list) and, past {@code chuanyu.link.pending-alert-after}, raises one
 * {@code ALERT} for it, not one per scan. When the missing event comes, all apply and the hold is gone.
 */
class LinkPendingAlertIT {

    static final Duration WAIT = Duration.ofSeconds(60);
    static final Caller OPERATOR = new Caller("ops-operator", Role.OPERATOR, null, null);

    static TwoNodes nodes;

    @BeforeAll
    static void start() throws Exception {
        nodes = new TwoNodes(Map.of("chuanyu.link.pending-alert-after", "PT3S",
                "chuanyu.link.pending-scan-interval", "PT0.2S"));
    }

    @AfterAll
    static void stop() {
        if (nodes != null) {
            nodes.close();
        }
    }

    @Test
    void eventsHeldForAMissingOneAreListedAlertedOnceAndAppliedWhenItArrives() {
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        ((Logger) LoggerFactory.getLogger(LinkPendingWatch.class)).addAppender(logged);
        MeterRegistry meters = nodes.cq.context().getBean(MeterRegistry.class);
        double alertsBefore = meters.get("chuanyu.link.pending.alerts").counter().count();

        TestHttp.Response created = Agencies.post(nodes.sc.port(), SC_COURT, "/api/v1/case-transfers", """
                {"caseNumber": "(2026)川01刑初%s号", "title": "跨区域诈骗案", "caseType": "CRIMINAL",
                 "toAgency": "%s", "reason": "犯罪地在重庆"}""".formatted(UUID.randomUUID().toString().substring(0, 6),
                CQ_COURT.id()));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = created.json().path("id").asString();
        assertThat(Agencies.post(nodes.sc.port(), SC_COURT, "/api/v1/case-transfers/" + id + "/withdraw",
                "{\"reason\": \"当事人和解\"}").status()).isEqualTo(200);
        // submitted (1), its SUBMISSION_ACCEPTED evidence (2), withdrawn (3): the first is lost on the way.
        List<Message> waiting = nodes.takeAtLeast(nodes.sc, 3, WAIT);
        Message first = waiting.stream().filter(m -> seq(m) == 1).findFirst().orElseThrow();
        nodes.deliver(nodes.sc, waiting.stream().filter(m -> seq(m) != 1).toList());

        await().atMost(WAIT).untilAsserted(() -> assertThat(held(nodes.cq, id)).isEqualTo(2));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(meters.get("chuanyu.link.pending.held").gauge().value()).isGreaterThanOrEqualTo(2.0);
            assertThat(meters.get("chuanyu.link.pending.oldest.age").gauge().value()).isGreaterThanOrEqualTo(0.0);
        });
        JsonNode item = pendingItem(id);
        assertThat(item.path("senderNode").asString()).isEqualTo("sc.test.local");
        assertThat(item.path("waitingForSeq").asLong()).isEqualTo(1);
        assertThat(item.path("heldSeqs").valueStream().map(JsonNode::asLong)).containsExactly(2L, 3L);
        assertThat(item.path("heldTypes").valueStream().map(JsonNode::asString))
                .endsWith("case-transfer.withdrawn");
        assertThat(item.path("since").asString()).isNotBlank();
        assertThat(Agencies.get(nodes.cq.port(), CQ_COURT, "/api/v1/ops/link-pending").status()).isEqualTo(403);

        // Past the threshold: one alert for the exchange, however many scans follow.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(alerts(logged, id)).hasSize(1));
        TwoNodes.sleep(1500);
        assertThat(alerts(logged, id)).as("raised once, not at every scan").hasSize(1);
        assertThat(alerts(logged, id).get(0)).contains("sc.test.local", "[2, 3]", "wait for seq 1");
        assertThat(meters.get("chuanyu.link.pending.alerts").counter().count()).isEqualTo(alertsBefore + 1);
        assertThat(pendingItem(id).path("alerted").asBoolean()).isTrue();
        assertThat(meters.get("chuanyu.link.pending.oldest.age").gauge().value()).isGreaterThanOrEqualTo(3.0);

        // The missing event arrives: everything applies, in order, and nothing is held any more.
        nodes.deliver(nodes.sc, List.of(first));
        await().atMost(WAIT).untilAsserted(() -> assertThat(held(nodes.cq, id)).isZero());
        assertThat(Agencies.get(nodes.cq.port(), CQ_COURT, "/api/v1/case-transfers/" + id).json().path("state")
                .asString()).isEqualTo("WITHDRAWN");
        TestHttp.Response pending = Agencies.get(nodes.cq.port(), OPERATOR, "/api/v1/ops/link-pending");
        assertThat(pending.json().path("items").findValuesAsString("exchangeId")).doesNotContain(id);
        ((Logger) LoggerFactory.getLogger(LinkPendingWatch.class)).detachAppender(logged);
    }

    private static long seq(Message message) {
        return ((Number) message.getMessageProperties().getHeader(Messaging.HEADER_LINK_SEQ)).longValue();
    }

    private static int held(Node node, String id) {
        return node.jdbc().sql("select count(*) from link_pending where exchange_id = :id").param("id", id)
                .query(Integer.class).single();
    }

    private static JsonNode pendingItem(String id) {
        TestHttp.Response pending = Agencies.get(nodes.cq.port(), OPERATOR, "/api/v1/ops/link-pending");
        assertThat(pending.status()).as(pending.body()).isEqualTo(200);
        for (JsonNode item : pending.json().path("items")) {
            if (item.path("exchangeId").asString().equals(id)) {
                return item;
            }
        }
        throw new AssertionError(id + " is not listed: " + pending.body());
    }

    private static List<String> alerts(ListAppender<ILoggingEvent> logged, String id) {
        return logged.list.stream().map(ILoggingEvent::getFormattedMessage)
                .filter(m -> m.startsWith("ALERT") && m.contains(id)).toList();
    }
}
