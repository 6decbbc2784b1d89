package cn.chuanyu.contracts;

/**
 * Data of {@link EventTypes#ASSISTANCE_ACKNOWLEDGED}, {@link EventTypes#ASSISTANCE_COMPLETED} and
 * {@link EventTypes#ASSISTANCE_DECLINED}: the new state, who acted, and the result or reason.
 */
public record AssistanceProgressed(String state, String actor, String result, String evidencePackageId,
        String reason) {
}
