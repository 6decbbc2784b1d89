package cn.chuanyu.audit.link;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

import cn.chuanyu.audit.link.LinkMonitor.State;

/**
 * The link's state from what the broker says of its Shovel, as a pure function of that and the time. A Shovel
 * whose peer broker is unreachable never says so: it cycles between "starting" (connecting again) and
 * "terminated" (the attempt failed, with a reason) every reconnect delay, each time with a new timestamp. Read raw,
 * that is "starting", which looks healthy-soon. So the stretch of not running is tracked across reads: STARTING
 * within the grace (a Shovel connecting after a resume, a short blip), DOWN after it, since the stretch began, with
 * the last reason the broker gave in it.
 */
final class LinkHealth {

    /** How much of the broker's reason text is kept (an Erlang term, can be long). */
    static final int REASON_MAX = 200;

    private LinkHealth() {
    }

    /**
     * One decision, also the memory the next one starts from.
     *
     * @param state           RUNNING, STARTING, DOWN or PAUSED
     * @param since           since when it is in that state (for STARTING and DOWN: since the Shovel stopped
     *                        running)
     * @param reason          why it is not RUNNING (null when it is)
     * @param brokerReason    the last reason the broker gave for the Shovel not running, in this stretch
     */
    record Decision(State state, Instant since, String reason, String brokerReason) {
    }

    /**
     * @param defined  whether the Shovel's definition exists (absent: paused by an operator or the launch script)
     * @param status   the broker's status of the Shovel; empty when it runs none of that name
     * @param previous the last decision (null for the first read)
     * @param now      the time of this read
     * @param grace    how long not running is STARTING before it is DOWN
     */
    static Decision decide(boolean defined, Optional<RabbitManagement.ShovelStatus> status, Decision previous,
            Instant now, Duration grace) {
        if (!defined) {
            Instant since = previous != null && previous.state() == State.PAUSED ? previous.since() : now;
            return new Decision(State.PAUSED, since, "paused: this node's Shovel is removed (POST "
                    + "/api/v1/ops/links/{peer}/pause or ./platform link down); what crosses waits here", null);
        }
        if (status.isPresent() && "running".equals(status.get().state())) {
            Instant since = previous != null && previous.state() == State.RUNNING ? previous.since()
                    : earliest(status.get().since(), now);
            return new Decision(State.RUNNING, since, null, null);
        }
        boolean stretch = previous != null && (previous.state() == State.STARTING || previous.state() == State.DOWN);
        // The broker's timestamp is its latest attempt: the stretch began no later than that.
        Instant notRunningSince = stretch ? previous.since()
                : earliest(status.map(RabbitManagement.ShovelStatus::since).orElse(null), now);
        String brokerReason = status.map(RabbitManagement.ShovelStatus::reason).filter(r -> !r.isBlank())
                .map(LinkHealth::compact).orElse(stretch ? previous.brokerReason() : null);
        String shown = status.map(s -> s.state() == null || s.state().isBlank() ? "unknown" : s.state())
                .orElse("not run by the broker");
        if (Duration.between(notRunningSince, now).compareTo(grace) < 0) {
            return new Decision(State.STARTING, notRunningSince, "the Shovel is connecting to the peer broker ("
                    + shown + ") since " + notRunningSince + withReason(brokerReason), brokerReason);
        }
        return new Decision(State.DOWN, notRunningSince, describe(brokerReason) + " since " + notRunningSince
                + " (Shovel " + shown + ")" + withReason(brokerReason), brokerReason);
    }

    /** What the broker's reason means for an operator. */
    private static String describe(String brokerReason) {
        if (brokerReason == null) {
            return "peer broker not reached";
        }
        String r = brokerReason.toLowerCase(Locale.ROOT);
        if (r.contains("access_refused") || r.contains("auth") || r.contains("not_allowed")
                || r.contains("access-refused")) {
            return "peer broker refused the link's user";
        }
        if (r.contains("econnrefused") || r.contains("ehostunreach") || r.contains("enetunreach")
                || r.contains("nxdomain") || r.contains("timeout") || r.contains("closed")
                || r.contains("connection")) {
            return "peer broker unreachable";
        }
        return "the Shovel is not running";
    }

    private static String withReason(String brokerReason) {
        return brokerReason == null ? "" : ": " + brokerReason;
    }

    private static String compact(String text) {
        String oneLine = text.replaceAll("\\s+", " ").trim();
        return oneLine.length() <= REASON_MAX ? oneLine : oneLine.substring(0, REASON_MAX) + "...";
    }

    private static Instant earliest(Instant brokerTime, Instant now) {
        return brokerTime == null || brokerTime.isAfter(now) ? now : brokerTime;
    }
}
