package cn.chuanyu.audit.link;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Optional;

import cn.chuanyu.kit.web.ServiceUnavailableException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The few calls of the RabbitMQ management HTTP API the link needs, on this node's vhost, as the link admin user.
 * Any failure to reach it, or an answer other than the expected ones, is a 503 for the caller: the link's state is
 * then unknown, not "down".
 */
class RabbitManagement {

    static final String SERVICE = "rabbitmq-management";

    private static final DateTimeFormatter BROKER_LOCAL_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final LinkOpsProperties props;
    private final JsonMapper json;
    private final HttpClient client;

    RabbitManagement(LinkOpsProperties props, JsonMapper json) {
        this.props = props;
        this.json = json;
        // HTTP/1.1: the management listener (Cowboy) drops the h2c upgrade the JDK client tries by default.
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(props.timeout())
                .build();
    }

    /**
     * A Shovel's status as the broker reports it: state (running, starting, terminated; newer brokers also say
     * blocked), the time of its last change, and for a terminated one the broker's reason (an Erlang term as text).
     */
    record ShovelStatus(String state, Instant since, String reason) {

        /** From one entry of {@code GET /api/shovels/<vhost>}. */
        static ShovelStatus of(JsonNode shovel) {
            String reason = shovel.path("reason").isValueNode() ? shovel.path("reason").asString(null) : null;
            return new ShovelStatus(shovel.path("state").asString(null), time(shovel.path("timestamp").asString(null)),
                    reason);
        }
    }

    /** A queue's depth, consumers, the AMQP timestamp of its head message (null when empty or not reported). */
    record QueueStatus(long messages, int consumers, Instant headTimestamp, long acked) {
    }

    /**
     * The broker shows Shovel status only to users tagged {@code monitoring} (or more); a {@code policymaker} alone
     * gets 401. Callers then judge by the Shovel's consumer on its source queue.
     */
    static final class ShovelStatusHidden extends RuntimeException {
        ShovelStatusHidden() {
            super("Shovel status needs the monitoring tag", null, false, false);
        }
    }

    /** Whether the Shovel's definition (its runtime parameter) exists: removed while the link is paused. */
    boolean shovelDefined(String name) {
        HttpResponse<String> response = send("GET", "/api/parameters/shovel/" + vhost() + "/" + segment(name), null);
        return expect(response, 200, 404) == 200;
    }

    /**
     * The running Shovel's status, empty when the broker runs no Shovel of that name.
     *
     * @throws ShovelStatusHidden when the user may not see Shovel status
     */
    Optional<ShovelStatus> shovelStatus(String name) {
        HttpResponse<String> response = send("GET", "/api/shovels/" + vhost(), null);
        if (response.statusCode() == 401 || response.statusCode() == 403) {
            throw new ShovelStatusHidden();
        }
        expect(response, 200, 200);
        for (JsonNode shovel : json.readTree(response.body())) {
            if (name.equals(shovel.path("name").asString())) {
                return Optional.of(ShovelStatus.of(shovel));
            }
        }
        return Optional.empty();
    }

    /** Empty when the queue does not exist. */
    Optional<QueueStatus> queue(String name) {
        HttpResponse<String> response = send("GET", "/api/queues/" + vhost() + "/" + segment(name), null);
        if (expect(response, 200, 404) == 404) {
            return Optional.empty();
        }
        JsonNode queue = json.readTree(response.body());
        JsonNode head = queue.path("head_message_timestamp");
        return Optional.of(new QueueStatus(queue.path("messages").asLong(0), queue.path("consumers").asInt(0),
                head.isNumber() ? Instant.ofEpochSecond(head.asLong()) : null,
                queue.path("message_stats").path("ack").asLong(0)));
    }

    /** Sets the Shovel's definition (the broker starts it). */
    void putShovel(String name, String definition) {
        expect(send("PUT", "/api/parameters/shovel/" + vhost() + "/" + segment(name), definition), 201, 204);
    }

    /** Removes the Shovel's definition (the broker stops it); false when there was none. */
    boolean deleteShovel(String name) {
        return expect(send("DELETE", "/api/parameters/shovel/" + vhost() + "/" + segment(name), null), 204, 404)
                == 204;
    }

    private String vhost() {
        return segment(props.vhost());
    }

    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The status if it is one of the two accepted; otherwise the management API failed us. */
    private static int expect(HttpResponse<String> response, int ok, int alsoOk) {
        int status = response.statusCode();
        if (status == ok || status == alsoOk) {
            return status;
        }
        throw new ServiceUnavailableException(SERVICE, "the broker's management API answered " + status + " to "
                + response.request().method() + " " + response.request().uri().getPath(), 5, null);
    }

    private HttpResponse<String> send(String method, String path, String body) {
        String credentials = props.adminUser() + ":" + props.adminPassword();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(props.managementUrl() + path))
                .timeout(props.timeout())
                .header("Authorization", "Basic "
                        + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
        catch (IOException ex) {
            throw new ServiceUnavailableException(SERVICE, "the broker's management API cannot be reached: "
                    + ex.getMessage(), 5, ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new ServiceUnavailableException(SERVICE, "interrupted", 5, ex);
        }
    }

    /**
     * The broker's timestamps: ISO-8601 in newer versions, "yyyy-MM-dd HH:mm:ss" in the broker's local time in
     * older ones (the broker runs beside this node, in its time zone).
     */
    static Instant time(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        }
        catch (DateTimeParseException notIso) {
            try {
                return LocalDateTime.parse(text, BROKER_LOCAL_TIME).atZone(ZoneId.systemDefault()).toInstant();
            }
            catch (DateTimeParseException unknown) {
                return null;
            }
        }
    }
}
