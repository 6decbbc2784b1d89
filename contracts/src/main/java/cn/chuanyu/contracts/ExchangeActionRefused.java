package cn.chuanyu.contracts;

/**
 * Data of {@link EventTypes#CASE_TRANSFER_ACTION_REFUSED} and {@link EventTypes#ASSISTANCE_ACTION_REFUSED}: the
 * origin node did not apply a forwarded action, and why.
 *
 * @param action         the refused action
 * @param actor          the agency that asked for it
 * @param requestEventId the id of the {@code *.action-requested} event refused
 * @param reason         what the state machine said
 * @param currentState   the exchange's state at the origin when it refused
 */
public record ExchangeActionRefused(String action, String actor, String requestEventId, String reason,
        String currentState) {
}
