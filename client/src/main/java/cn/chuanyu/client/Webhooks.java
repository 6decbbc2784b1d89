package cn.chuanyu.client;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** Webhook registrations: {@code /api/v1/webhooks}. */
public final class Webhooks {

    /** The answer to a registration: {@code secret} is shown this once; keep it for {@link WebhookVerifier}. */
    public record Registered(UUID id, String url, String description, Instant createdAt, String secret,
            String signatureHeader) {
    }

    public record Webhook(UUID id, String url, String description, Instant createdAt) {
    }

    public record Delivery(UUID id, String eventId, String eventType, String state, int attempts, Integer lastStatus,
            String lastError, Instant createdAt, Instant nextAttemptAt, Instant deliveredAt) {
    }

    private final Transport transport;

    Webhooks(Transport transport) {
        this.transport = transport;
    }

    public Registered register(String url, String description) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("url", url);
        if (description != null) {
            body.put("description", description);
        }
        return transport.json("POST", "api/v1/webhooks", body, Map.of()).as(Registered.class);
    }

    public Page<Webhook> list() {
        return Pages.of(transport.json("GET", "api/v1/webhooks", null, Map.of()), Webhook.class);
    }

    public void delete(UUID id) {
        transport.json("DELETE", "api/v1/webhooks/" + id, null, Map.of());
    }

    public Page<Delivery> deliveries(UUID id) {
        return Pages.of(transport.json("GET", "api/v1/webhooks/" + id + "/deliveries", null, Map.of()),
                Delivery.class);
    }
}
