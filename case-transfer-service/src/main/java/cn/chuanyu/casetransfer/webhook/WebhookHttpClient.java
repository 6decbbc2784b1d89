package cn.chuanyu.casetransfer.webhook;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Map;

import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.DefaultSchemePortResolver;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.DefaultHttpClientConnectionOperator;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.config.RegistryBuilder;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.pool.PoolConcurrencyPolicy;
import org.apache.hc.core5.pool.PoolReusePolicy;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.springframework.stereotype.Component;

/**
 * The dispatcher's HTTP client, which only ever connects to addresses {@link WebhookTargets} allows: its resolver
 * resolves each host once and refuses special-purpose answers, and every socket checks the very address it is about
 * to connect to, so neither a DNS answer that changed since registration (rebinding) nor any other path to a
 * connection reaches the platform's own network. TLS still verifies the certificate against the URL's host name.
 * No redirects, retries, cookies or proxies.
 */
@Component
class WebhookHttpClient implements AutoCloseable {

    private final CloseableHttpClient http;

    WebhookHttpClient(WebhookTargets targets, WebhookProperties props) {
        DnsResolver resolver = new DnsResolver() {
            @Override
            public InetAddress[] resolve(String host) throws UnknownHostException {
                return targets.allowedAddresses(host).toArray(InetAddress[]::new);
            }

            @Override
            public String resolveCanonicalHostname(String host) {
                return host;
            }
        };
        DefaultHttpClientConnectionOperator operator = new DefaultHttpClientConnectionOperator(
                proxy -> new CheckedSocket(targets), DefaultSchemePortResolver.INSTANCE, resolver,
                RegistryBuilder.<TlsSocketStrategy>create()
                        .register("https", DefaultClientTlsStrategy.createSystemDefault()).build());
        PoolingHttpClientConnectionManager connections = new PoolingHttpClientConnectionManager(operator,
                PoolConcurrencyPolicy.STRICT, PoolReusePolicy.LIFO, TimeValue.ofMinutes(1), null);
        Timeout timeout = Timeout.of(props.timeout());
        connections.setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(timeout)
                .setSocketTimeout(timeout).build());
        connections.setMaxTotal(50);
        connections.setDefaultMaxPerRoute(4);
        this.http = HttpClients.custom()
                .setConnectionManager(connections)
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(timeout).build())
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableAuthCaching()
                .build();
    }

    /** POSTs the body and returns the receiver's status; the response body is never read. */
    int post(URI url, Map<String, String> headers, byte[] body) throws IOException {
        HttpPost post = new HttpPost(url);
        headers.forEach(post::setHeader);
        post.setEntity(new ByteArrayEntity(body, ContentType.APPLICATION_JSON));
        // Closed unread: the connection is dropped rather than drained, so a receiver cannot stall us with a body.
        try (ClassicHttpResponse response = http.executeOpen(null, post, null)) {
            return response.getCode();
        }
    }

    @Override
    public void close() throws IOException {
        http.close();
    }

    /** A socket that checks the address it is about to connect to: the last word, whatever resolved it. */
    static final class CheckedSocket extends Socket {

        private final WebhookTargets targets;

        CheckedSocket(WebhookTargets targets) {
            // Direct, whatever socksProxyHost says: a proxy would connect on our behalf, unchecked.
            super(Proxy.NO_PROXY);
            this.targets = targets;
        }

        @Override
        public void connect(SocketAddress endpoint, int timeout) throws IOException {
            if (!(endpoint instanceof InetSocketAddress inet)) {
                throw new RefusedTargetException("refused: not an internet address: " + endpoint);
            }
            targets.requireAllowed(inet.getHostString(), inet.getAddress());
            super.connect(endpoint, timeout);
        }
    }
}
