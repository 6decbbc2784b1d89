package cn.chuanyu.contracts;

/**
 * Data of {@link EventTypes#CASE_TRANSFER_ACTION_REQUESTED} and {@link EventTypes#ASSISTANCE_ACTION_REQUESTED}: the
 * recipient's action on its node's replica, for the origin node to apply.
 *
 * @param action            accept, reject (transfers); acknowledge, complete, decline (assistance requests)
 * @param actor             the acting agency
 * @param expectedVersion   the version the recipient acted against (its If-Match), or null for any
 * @param text              the note of an acceptance, the reason of a rejection or decline, the result of a completion
 * @param evidencePackageId the package a completion names (optional)
 */
public record ExchangeActionRequested(String action, String actor, Integer expectedVersion, String text,
        String evidencePackageId) {
}
