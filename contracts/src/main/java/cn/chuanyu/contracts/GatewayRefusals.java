package cn.chuanyu.contracts;

/**
 * Data of {@link EventTypes#GATEWAY_REFUSED}: how many requests without a caller the gateway refused in one window
 * (a minute) for one reason. Anonymous refusals are counted, not recorded one by one, so that nobody without a key
 * can grow the audit trail; paths, addresses and correlation ids are not kept.
 *
 * @param from   ISO-8601 start of the window (inclusive)
 * @param until  ISO-8601 end of the window (exclusive)
 * @param reason what was refused, from the status: e.g. {@code unauthorized}, {@code not-found},
 *               {@code too-many-requests}, {@code bad-request}, or {@code no-answer} when the client went away
 * @param status HTTP status of the refusals; null for {@code no-answer}
 * @param count  refusals in the window
 */
public record GatewayRefusals(String from, String until, String reason, Integer status, long count) {
}
