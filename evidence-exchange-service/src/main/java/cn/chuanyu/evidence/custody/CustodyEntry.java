package cn.chuanyu.evidence.custody;

import java.time.Instant;
import java.util.UUID;

import tools.jackson.databind.JsonNode;

/** One custody event as listed: the same id, type, time and data as the event in the audit trail. */
public record CustodyEntry(long seq, UUID eventId, String type, String actor, Instant occurredAt, JsonNode data) {
}
