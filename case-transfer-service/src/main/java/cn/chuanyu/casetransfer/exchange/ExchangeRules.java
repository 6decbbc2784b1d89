package cn.chuanyu.casetransfer.exchange;

import java.time.Duration;
import java.time.Instant;

import cn.chuanyu.kit.domain.DomainModel;
import cn.chuanyu.kit.domain.NotFoundException;
import cn.chuanyu.kit.domain.NotPermittedException;
import cn.chuanyu.kit.domain.RuleViolationException;
import cn.chuanyu.kit.domain.StateConflictException;

/**
 * The rules every exchange between two agencies follows: who may see and act on it, in which state, against which
 * version, and how far out its deadlines may be. Outsiders learn nothing (not found, as if it did not exist); a
 * party acting on a stale version learns the current one; the other party learns that the action is not theirs;
 * a party acting in the wrong state learns the current state.
 */
@DomainModel
public record ExchangeRules(String kind, String id, String fromAgency, String toAgency) {

    static final Duration MAX_DEADLINE = Duration.ofDays(366);

    public boolean includes(String agencyId) {
        return fromAgency.equals(agencyId) || toAgency.equals(agencyId);
    }

    public void requireVisibleTo(String agencyId) {
        if (!includes(agencyId)) {
            throw new NotFoundException("no " + kind + " " + id);
        }
    }

    /** The sender acting on the version it expects: checked in the order the checks' answers may be revealed. */
    public void requireSender(String agencyId, ExpectedVersion expected, int currentVersion, String action) {
        requireVisibleTo(agencyId);
        expected.check(currentVersion);
        if (!fromAgency.equals(agencyId)) {
            throw new NotPermittedException("only the sending agency may " + action + " this " + kind);
        }
    }

    /** The recipient acting on the version it expects. */
    public void requireRecipient(String agencyId, ExpectedVersion expected, int currentVersion, String action) {
        requireVisibleTo(agencyId);
        expected.check(currentVersion);
        if (!toAgency.equals(agencyId)) {
            throw new NotPermittedException("only the receiving agency may " + action + " this " + kind);
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
