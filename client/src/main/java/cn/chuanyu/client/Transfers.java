package cn.chuanyu.client;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** Case transfers (案件移送): {@code /api/v1/case-transfers}. */
public final class Transfers {

    /** What {@link #submit} sends; summary and decisionDueAt may be null. */
    public record NewTransfer(String caseNumber, String title, String caseType, String toAgency, String reason,
            String summary, Instant decisionDueAt) {
    }

    public record Transfer(UUID id, String state, String caseNumber, String title, String caseType,
            String fromAgency, String toAgency, String reason, String summary, Instant decisionDueAt,
            boolean overdue, Instant decidedAt, String decisionNote, Instant createdAt, Instant updatedAt,
            int version) {
    }

    private static final String BASE = "api/v1/case-transfers";
    private final Transport transport;

    Transfers(Transport transport) {
        this.transport = transport;
    }

    public Transfer submit(NewTransfer transfer) {
        return submit(transfer, null);
    }

    /** With the caller's own Idempotency-Key (null: one is made up); retrying with the same key is safe. */
    public Transfer submit(NewTransfer transfer, String idempotencyKey) {
        return transport.json("POST", BASE, transfer, key(idempotencyKey)).as(Transfer.class);
    }

    /** direction: incoming, outgoing or null for both; state may be null. */
    public Page<Transfer> list(String direction, String state, Integer limit, String cursor) {
        Map<String, Object> q = new LinkedHashMap<>();
        q.put("direction", direction);
        q.put("state", state);
        q.put("limit", limit);
        q.put("cursor", cursor);
        return Pages.of(transport.json("GET", BASE + Transport.query(q), null, Map.of()), Transfer.class);
    }

    public Transfer get(UUID id) {
        return transport.json("GET", BASE + "/" + id, null, Map.of()).as(Transfer.class);
    }

    public Transfer accept(UUID id, String note) {
        return action(id, "accept", note == null ? Map.of() : Map.of("note", note));
    }

    public Transfer reject(UUID id, String reason) {
        return action(id, "reject", Map.of("reason", reason));
    }

    public Transfer withdraw(UUID id, String reason) {
        return action(id, "withdraw", Map.of("reason", reason));
    }

    private Transfer action(UUID id, String action, Map<String, String> body) {
        return transport.json("POST", BASE + "/" + id + "/" + action, body, Map.of()).as(Transfer.class);
    }

    static Map<String, String> key(String idempotencyKey) {
        return idempotencyKey == null ? Map.of() : Map.of("Idempotency-Key", idempotencyKey);
    }
}
