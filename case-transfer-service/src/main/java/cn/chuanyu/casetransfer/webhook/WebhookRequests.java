package cn.chuanyu.casetransfer.webhook;

import java.time.Instant;
import java.util.UUID;

import cn.chuanyu.kit.validation.SingleLineText;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

final class WebhookRequests {

    private WebhookRequests() {
    }

    record Register(@NotBlank @Size(max = 2000) @SingleLineText String url,
            @Size(max = 200) @SingleLineText String description) {
    }

    /** The secret is shown once, on registration. */
    record Registered(UUID id, String url, String description, Instant createdAt, String secret,
            String signatureHeader) {
    }

    record View(UUID id, String url, String description, Instant createdAt) {
    }

    record Delivery(UUID id, String eventId, String eventType, String state, int attempts, Integer lastStatus,
            String lastError, Instant createdAt, Instant nextAttemptAt, Instant deliveredAt) {
    }
}
