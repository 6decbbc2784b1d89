package cn.chuanyu.client;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** Assistance requests (协查): {@code /api/v1/assistance-requests}. */
public final class AssistanceRequests {

    /** type: INVESTIGATION, SERVICE_OF_DOCUMENTS, ENFORCEMENT, ASSET_FREEZE or PERSON_LOCATE. */
    public record NewAssistanceRequest(String type, String toAgency, String subject, String details,
            UUID caseTransferId, Instant dueAt) {
    }

    public record AssistanceRequest(UUID id, String type, String state, String fromAgency, String toAgency,
            String subject, String details, UUID caseTransferId, Instant dueAt, boolean overdue, String result,
            UUID evidencePackageId, String declineReason, Instant acknowledgedAt, Instant closedAt,
            Instant createdAt, Instant updatedAt, int version) {
    }

    private static final String BASE = "api/v1/assistance-requests";
    private final Transport transport;

    AssistanceRequests(Transport transport) {
        this.transport = transport;
    }

    public AssistanceRequest submit(NewAssistanceRequest request) {
        return submit(request, null);
    }

    public AssistanceRequest submit(NewAssistanceRequest request, String idempotencyKey) {
        return transport.json("POST", BASE, request, Transfers.key(idempotencyKey)).as(AssistanceRequest.class);
    }

    public Page<AssistanceRequest> list(String direction, String state, Integer limit, String cursor) {
        Map<String, Object> q = new LinkedHashMap<>();
        q.put("direction", direction);
        q.put("state", state);
        q.put("limit", limit);
        q.put("cursor", cursor);
        return Pages.of(transport.json("GET", BASE + Transport.query(q), null, Map.of()), AssistanceRequest.class);
    }

    public AssistanceRequest get(UUID id) {
        return transport.json("GET", BASE + "/" + id, null, Map.of()).as(AssistanceRequest.class);
    }

    public AssistanceRequest acknowledge(UUID id) {
        return action(id, "acknowledge", null);
    }

    /** evidencePackageId may be null. */
    public AssistanceRequest complete(UUID id, String result, UUID evidencePackageId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("result", result);
        if (evidencePackageId != null) {
            body.put("evidencePackageId", evidencePackageId);
        }
        return action(id, "complete", body);
    }

    public AssistanceRequest decline(UUID id, String reason) {
        return action(id, "decline", Map.of("reason", reason));
    }

    private AssistanceRequest action(UUID id, String action, Object body) {
        return transport.json("POST", BASE + "/" + id + "/" + action, body, Map.of()).as(AssistanceRequest.class);
    }
}
