package cn.chuanyu.audit.link;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import cn.chuanyu.audit.link.LinkHealth.Decision;
import cn.chuanyu.audit.link.LinkMonitor.State;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The link's state from the broker's Shovel status (entries of {@code GET /api/shovels/<vhost>} as RabbitMQ gives
 * them) and the time: a Shovel whose peer broker is down cycles starting, terminated, starting... each with a new
 * timestamp; after the grace the link is DOWN since the first, with the broker's reason.
 */
class LinkHealthTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final Duration GRACE = Duration.ofSeconds(15);
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    static Optional<RabbitManagement.ShovelStatus> status(String json) {
        return Optional.of(RabbitManagement.ShovelStatus.of(JSON.readTree(json)));
    }

    static Optional<RabbitManagement.ShovelStatus> running(Instant at) {
        return status("""
                {"node": "rabbit@localhost", "timestamp": "%s", "name": "link-to-cq", "vhost": "chuanyu_sc",
                 "type": "dynamic", "state": "running", "src_protocol": "amqp091", "dest_protocol": "amqp091"}"""
                .formatted(at));
    }

    static Optional<RabbitManagement.ShovelStatus> starting(Instant at) {
        return status("""
                {"node": "rabbit@localhost", "timestamp": "%s", "name": "link-to-cq", "vhost": "chuanyu_sc",
                 "type": "dynamic", "state": "starting"}""".formatted(at));
    }

    static Optional<RabbitManagement.ShovelStatus> terminated(Instant at, String reason) {
        return status("""
                {"node": "rabbit@localhost", "timestamp": "%s", "name": "link-to-cq", "vhost": "chuanyu_sc",
                 "type": "dynamic", "state": "terminated", "reason": "%s"}""".formatted(at, reason));
    }

    @Test
    void aRunningShovelIsRunningSinceTheBrokerSaysAndStaysSoAcrossReads() {
        Decision first = LinkHealth.decide(true, running(T0), null, T0.plusSeconds(30), GRACE);
        assertThat(first.state()).isEqualTo(State.RUNNING);
        assertThat(first.since()).isEqualTo(T0);
        assertThat(first.reason()).isNull();
        Decision later = LinkHealth.decide(true, running(T0.plusSeconds(50)), first, T0.plusSeconds(60), GRACE);
        assertThat(later.since()).isEqualTo(T0);
    }

    @Test
    void aShovelCyclingWhileThePeerBrokerIsDownIsStartingWithinTheGraceThenDownSinceTheStartWithTheReason() {
        Decision running = LinkHealth.decide(true, running(T0.minusSeconds(600)), null, T0.minusSeconds(1), GRACE);
        // The peer's broker stops: the Shovel restarts, fails to connect, restarts... every reconnect delay.
        Decision a = LinkHealth.decide(true, starting(T0), running, T0.plusSeconds(2), GRACE);
        assertThat(a.state()).isEqualTo(State.STARTING);
        assertThat(a.since()).isEqualTo(T0);
        Decision b = LinkHealth.decide(true, terminated(T0.plusSeconds(5),
                "{{badmatch,{error,econnrefused}},\\n [{rabbit_amqp091_shovel,connect_dest,1,[]}]}"), a,
                T0.plusSeconds(7), GRACE);
        assertThat(b.state()).isEqualTo(State.STARTING);
        Decision c = LinkHealth.decide(true, starting(T0.plusSeconds(10)), b, T0.plusSeconds(16), GRACE);
        assertThat(c.state()).isEqualTo(State.DOWN);
        assertThat(c.since()).as("the stretch's start, not the latest restart").isEqualTo(T0);
        assertThat(c.reason()).startsWith("peer broker unreachable since " + T0)
                .contains("Shovel starting", "econnrefused").doesNotContain("\n");
        Decision d = LinkHealth.decide(true, starting(T0.plusSeconds(300)), c, T0.plusSeconds(301), GRACE);
        assertThat(d.state()).isEqualTo(State.DOWN);
        assertThat(d.since()).isEqualTo(T0);
        assertThat(d.reason()).contains("econnrefused");

        Decision back = LinkHealth.decide(true, running(T0.plusSeconds(310)), d, T0.plusSeconds(312), GRACE);
        assertThat(back.state()).isEqualTo(State.RUNNING);
        assertThat(back.since()).isEqualTo(T0.plusSeconds(310));
        assertThat(back.reason()).isNull();
    }

    @Test
    void aShovelFirstSeenStartingLongAgoByTheBrokersClockIsDownAtOnce() {
        Decision first = LinkHealth.decide(true, terminated(T0, "{shutdown,{connection_closing,timeout}}"), null,
                T0.plusSeconds(20), GRACE);
        assertThat(first.state()).isEqualTo(State.DOWN);
        assertThat(first.since()).isEqualTo(T0);
        assertThat(first.reason()).startsWith("peer broker unreachable");
    }

    @Test
    void aRefusedLinkUserIsSaidSo() {
        Decision first = LinkHealth.decide(true, terminated(T0, "{auth_failure,\\\"ACCESS_REFUSED - Login was "
                + "refused\\\"}"), null, T0, GRACE);
        Decision down = LinkHealth.decide(true, starting(T0.plusSeconds(5)), first, T0.plusSeconds(20), GRACE);
        assertThat(down.state()).isEqualTo(State.DOWN);
        assertThat(down.reason()).startsWith("peer broker refused the link's user");
    }

    @Test
    void aDefinedShovelTheBrokerDoesNotRunIsDownAfterTheGraceWithoutABrokerReason() {
        Decision first = LinkHealth.decide(true, Optional.empty(), null, T0, GRACE);
        assertThat(first.state()).isEqualTo(State.STARTING);
        Decision down = LinkHealth.decide(true, Optional.empty(), first, T0.plusSeconds(15), GRACE);
        assertThat(down.state()).isEqualTo(State.DOWN);
        assertThat(down.reason()).isEqualTo("peer broker not reached since " + T0
                + " (Shovel not run by the broker)");
    }

    @Test
    void aRemovedDefinitionIsPausedNotDownSinceItWasFirstSeen() {
        Decision running = LinkHealth.decide(true, running(T0), null, T0, GRACE);
        Decision paused = LinkHealth.decide(false, Optional.empty(), running, T0.plusSeconds(60), GRACE);
        assertThat(paused.state()).isEqualTo(State.PAUSED);
        assertThat(paused.since()).isEqualTo(T0.plusSeconds(60));
        assertThat(paused.reason()).startsWith("paused");
        Decision still = LinkHealth.decide(false, Optional.empty(), paused, T0.plusSeconds(3600), GRACE);
        assertThat(still.state()).isEqualTo(State.PAUSED);
        assertThat(still.since()).isEqualTo(T0.plusSeconds(60));
        // Resumed: connecting is STARTING from then, not DOWN since the pause.
        Decision resumed = LinkHealth.decide(true, starting(T0.plusSeconds(3601)), still, T0.plusSeconds(3602),
                GRACE);
        assertThat(resumed.state()).isEqualTo(State.STARTING);
        assertThat(resumed.since()).isEqualTo(T0.plusSeconds(3601));
    }

    @Test
    void withoutTheMonitoringTagTheShovelsConsumerDecides() {
        Decision notConsuming = LinkHealth.decide(true, Optional.of(new RabbitManagement.ShovelStatus(
                "not consuming chuanyu.link.to-cq", null, null)), null, T0, GRACE);
        Decision down = LinkHealth.decide(true, Optional.of(new RabbitManagement.ShovelStatus(
                "not consuming chuanyu.link.to-cq", null, null)), notConsuming, T0.plusSeconds(20), GRACE);
        assertThat(down.state()).isEqualTo(State.DOWN);
        assertThat(down.since()).isEqualTo(T0);
        assertThat(down.reason()).contains("not consuming chuanyu.link.to-cq");
    }

    @Test
    void aLongBrokerReasonIsShortened() {
        Decision down = LinkHealth.decide(true, terminated(T0, "x".repeat(1000)), null, T0.plusSeconds(60), GRACE);
        assertThat(down.reason()).hasSizeLessThan(LinkHealth.REASON_MAX + 120);
    }
}
