package cn.chuanyu.evidence;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import cn.chuanyu.contracts.AgencyKind;
import cn.chuanyu.contracts.Region;
import cn.chuanyu.contracts.Role;
import cn.chuanyu.kit.identity.Caller;
import cn.chuanyu.kit.test.TestInfrastructure;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Binary-safe HTTP for evidence tests, signed as the gateway would sign the caller. */
public final class EvidenceHttp {

    public static final Caller CHENGDU_COURT = agency("sc-chengdu-intermediate-court", Region.SC, AgencyKind.COURT);
    public static final Caller CQ_COURT = agency("cq-first-intermediate-court", Region.CQ, AgencyKind.COURT);
    public static final Caller YUBEI_POLICE = agency("cq-yubei-public-security", Region.CQ,
            AgencyKind.PUBLIC_SECURITY);

    static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String base;

    public EvidenceHttp(int port) {
        this.base = "http://localhost:" + port + "/api/v1/evidence-packages";
    }

    public record Response(int status, HttpHeaders headers, byte[] bytes) {

        public String body() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        public JsonNode json() {
            return JSON.readTree(bytes);
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        public String contentType() {
            return header("Content-Type");
        }
    }

    public String url(String path) {
        return base + path;
    }

    public HttpRequest.Builder request(Caller caller, String path) {
        return HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(60))
                .header("X-Chuanyu-Principal", TestInfrastructure.token(caller));
    }

    public Response get(Caller caller, String path, String... headers) {
        return send(request(caller, path).GET(), headers);
    }

    public Response postJson(Caller caller, String path, String json) {
        return send(request(caller, path).POST(HttpRequest.BodyPublishers.ofString(json))
                .header("Content-Type", "application/json"));
    }

    public Response post(Caller caller, String path, String... headers) {
        return send(request(caller, path).POST(HttpRequest.BodyPublishers.noBody()), headers);
    }

    public Response put(Caller caller, String path, byte[] body, String... headers) {
        return send(request(caller, path).PUT(HttpRequest.BodyPublishers.ofByteArray(body)), headers);
    }

    public Response send(HttpRequest.Builder request, String... headers) {
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<byte[]> response = CLIENT.send(TestInfrastructure.signed(request.build()), HttpResponse.BodyHandlers.ofByteArray());
            return new Response(response.statusCode(), response.headers(), response.body());
        }
        catch (IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    public static String reprDigest(byte[] content) {
        return "sha-256=:" + Base64.getEncoder().encodeToString(sha256(content)) + ":";
    }

    public static byte[] sha256(byte[] content) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(content);
        }
        catch (java.security.NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    public static String hex(byte[] content) {
        return java.util.HexFormat.of().formatHex(sha256(content));
    }

    public static String createJson(String title, String toAgency, String extra) {
        return "{\"title\": \"" + title + "\", \"toAgency\": \"" + toAgency + "\"" + (extra == null ? "" : ", " + extra)
                + "}";
    }

    private static Caller agency(String id, Region region, AgencyKind kind) {
        return new Caller(id, Role.AGENCY, region, kind);
    }
}
