package cn.chuanyu.casetransfer.exchange;

import java.time.Duration;
import java.time.Instant;

import cn.chuanyu.kit.identity.AccessDeniedException;
import cn.chuanyu.kit.domain.StateConflictException;
import cn.chuanyu.kit.domain.RuleViolationException;
import cn.chuanyu.kit.domain.NotFoundException;

/**
 * Who may act on an exchange. Outsiders learn nothing (404, as if it did not exist); the other party learns that
 * the action is not theirs (403); a party acting in the wrong state learns the current state (409).
 */
public record Parties(String kind, String id, String fromAgency, String toAgency) {

    static final Duration MAX_DEADLINE = Duration.ofDays(366);

    public boolean includes(String agencyId) {
        return fromAgency.equals(agencyId) || toAgency.equals(agencyId);
    }

    public void requireVisibleTo(String agencyId) {
        if (!includes(agencyId)) {
            throw new NotFoundException("no " + kind + " " + id);
        }
    }

    public void requireSender(String agencyId, String action) {
        requireVisibleTo(agencyId);
        if (!fromAgency.equals(agencyId)) {
            throw new AccessDeniedException("only the sending agency may " + action + " this " + kind);
        }
    }

    public void requireRecipient(String agencyId, String action) {
        requireVisibleTo(agencyId);
        if (!toAgency.equals(agencyId)) {
            throw new AccessDeniedException("only the receiving agency may " + action + " this " + kind);
        }
    }

    /** Deadlines are set in the future, and no further out than a year (a typo, not a plan). */
    public static void requireDeadline(String field, Instant due, Instant now) {
        if (!due.isAfter(now)) {
            throw new RuleViolationException(field, "must be in the future");
        }
        if (due.isAfter(now.plus(MAX_DEADLINE))) {
            throw new RuleViolationException(field, "must be within " + MAX_DEADLINE.toDays() + " days");
        }
    }

    public static void requireState(Enum<?> current, String action, String kind, Enum<?>... allowed) {
        for (Enum<?> state : allowed) {
            if (state == current) {
                return;
            }
        }
        throw new StateConflictException("cannot " + action + " a " + kind + " that is " + current, current.name());
    }
}
