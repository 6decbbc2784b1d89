package cn.chuanyu.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Objects;

/**
 * The Chuanyu Exchange API for one agency key, through the gateway.
 *
 * <pre>{@code
 * ChuanyuClient client = ChuanyuClient.builder().gateway("http://localhost:8080").apiKey(key).build();
 * Transfers.Transfer t = client.transfers().submit(new Transfers.NewTransfer("(2026)川01刑初1号", "标题",
 *         "CRIMINAL", "cq-first-intermediate-court", "理由", null, null));
 * }</pre>
 *
 * Thread-safe; share one per key.
 */
public final class ChuanyuClient {

    private final Transport transport;
    private final Transfers transfers;
    private final AssistanceRequests assistance;
    private final Inbox inbox;
    private final Webhooks webhooks;
    private final Evidence evidence;
    private final Audit audit;

    private ChuanyuClient(Transport transport) {
        this.transport = transport;
        this.transfers = new Transfers(transport);
        this.assistance = new AssistanceRequests(transport);
        this.inbox = new Inbox(transport);
        this.webhooks = new Webhooks(transport);
        this.evidence = new Evidence(transport);
        this.audit = new Audit(transport);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A client from {@code CYX_GATEWAY} (default http://localhost:8080) and {@code CYX_API_KEY}. */
    public static ChuanyuClient fromEnvironment() {
        String gateway = System.getenv().getOrDefault("CYX_GATEWAY", "http://localhost:8080");
        return builder().gateway(gateway).apiKey(System.getenv("CYX_API_KEY")).build();
    }

    public Transfers transfers() {
        return transfers;
    }

    public AssistanceRequests assistance() {
        return assistance;
    }

    public Inbox inbox() {
        return inbox;
    }

    public Webhooks webhooks() {
        return webhooks;
    }

    public Evidence evidence() {
        return evidence;
    }

    public Audit audit() {
        return audit;
    }

    public URI gateway() {
        return transport.gateway;
    }

    /**
     * A GET of any API path, answered as it came (status, headers, body), after the usual retries; for checks such
     * as {@code cyx doctor} that look at headers. Never throws a problem.
     */
    public RawResponse get(String pathAndQuery) {
        Transport.Response r = transport.send("GET", pathAndQuery, java.util.Map.of("Accept", "application/json"), null);
        return new RawResponse(r.status(), r.headers(), r.body());
    }

    /** A response as it came. */
    public record RawResponse(int status, java.net.http.HttpHeaders headers, byte[] body) {
        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    public static final class Builder {
        private URI gateway;
        private String apiKey;
        private RetryPolicy retry = RetryPolicy.defaults();
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(30);
        private HttpClient httpClient;

        private Builder() {
        }

        /** The gateway's base URL, e.g. {@code http://localhost:8080}. */
        public Builder gateway(String url) {
            String base = url.endsWith("/") ? url : url + "/";
            this.gateway = URI.create(base);
            return this;
        }

        public Builder apiKey(String key) {
            this.apiKey = key;
            return this;
        }

        public Builder retry(RetryPolicy policy) {
            this.retry = Objects.requireNonNull(policy);
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        /** How long one JSON call may take before it counts as failed (and is retried with the same key). */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = timeout;
            return this;
        }

        public Builder httpClient(HttpClient client) {
            this.httpClient = client;
            return this;
        }

        public ChuanyuClient build() {
            Objects.requireNonNull(gateway, "gateway");
            HttpClient http = httpClient != null ? httpClient : HttpClient.newBuilder()
                    .connectTimeout(connectTimeout).version(HttpClient.Version.HTTP_1_1)
                    .followRedirects(HttpClient.Redirect.NEVER).build();
            return new ChuanyuClient(new Transport(gateway, apiKey, http, retry, requestTimeout));
        }
    }
}
