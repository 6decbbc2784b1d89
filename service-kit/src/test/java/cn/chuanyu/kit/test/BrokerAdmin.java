package cn.chuanyu.kit.test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * The machine's RabbitMQ management API (http://localhost:15672, RABBIT_MANAGEMENT_URL), as its administrator
 * (guest, RABBIT_ADMIN_USER / RABBIT_ADMIN_PASSWORD), for tests that set up what the launch recipe would: link
 * exchanges, users of their own, dynamic Shovels between vhosts of their own. Never anything shared.
 */
public final class BrokerAdmin {

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1) // the management API (Cowboy) drops an h2c upgrade
            .connectTimeout(Duration.ofSeconds(5)).build();

    private BrokerAdmin() {
    }

    public static String url() {
        return env("RABBIT_MANAGEMENT_URL", "http://localhost:15672");
    }

    /** The vhost as a path segment of the management API. */
    public static String segment(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A durable exchange of the type in the vhost (as the launch recipe declares the link's). */
    public static void declareExchange(String vhost, String name, String type) {
        put("/api/exchanges/" + segment(vhost) + "/" + segment(name),
                "{\"type\":\"" + type + "\",\"durable\":true,\"auto_delete\":false}");
    }

    /** A user with a password and tags, allowed on the vhost as the three regular expressions say. */
    public static void user(String name, String password, String tags, String vhost, String configure, String write,
            String read) {
        put("/api/users/" + segment(name), "{\"password\":\"" + password + "\",\"tags\":\"" + tags + "\"}");
        put("/api/permissions/" + segment(vhost) + "/" + segment(name), "{\"configure\":\"" + configure
                + "\",\"write\":\"" + write + "\",\"read\":\"" + read + "\"}");
    }

    public static void deleteUser(String name) {
        send("DELETE", "/api/users/" + segment(name), null);
    }

    public static String get(String path) {
        return send("GET", path, null).body();
    }

    public static void put(String path, String json) {
        HttpResponse<String> response = send("PUT", path, json);
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("PUT " + path + ": " + response.statusCode() + " " + response.body());
        }
    }

    public static HttpResponse<String> send(String method, String path, String json) {
        String credentials = env("RABBIT_ADMIN_USER", "guest") + ":" + env("RABBIT_ADMIN_PASSWORD", "guest");
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url() + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic "
                        + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        try {
            return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
        catch (java.io.IOException ex) {
            throw new IllegalStateException(method + " " + path + ": " + ex.getMessage(), ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", ex);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
