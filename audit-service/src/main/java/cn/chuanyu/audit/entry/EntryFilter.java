package cn.chuanyu.audit.entry;

import java.time.Instant;

/**
 * Search criteria; null means "any". {@code visibleTo} restricts an agency caller to what {@link AgencyVisibility} lets it see.
 *
 * @param agency sender or recipient
 * @param from   occurred at or after (inclusive)
 * @param to     occurred before (exclusive)
 */
record EntryFilter(String exchangeId, String caseNumber, String agency, String type, Instant from, Instant to,
        String correlationId, String visibleTo) {
}
