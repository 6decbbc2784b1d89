package cn.chuanyu.gateway;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import cn.chuanyu.kit.test.TestHttp;
import cn.chuanyu.kit.test.TestInfrastructure;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.cloud.circuitbreaker.resilience4j.ReactiveResilience4JCircuitBreakerFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * One gateway for all integration tests that extend this (they share the Spring context): real PostgreSQL,
 * RabbitMQ and Redis, the demo registry, and a WireMock stub in place of each service. Rate limits are generous
 * except for {@link #RATE_LIMITED_AGENCY}; circuit breakers open after a few calls and retry after two seconds;
 * evidence downloads time out after three seconds.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class GatewayTestSupport {

    public static final String RATE_LIMITED_AGENCY = "rate-limited-court";

    /** Bucket keys of this run only, so a rerun never finds a half-empty bucket. */
    public static final String REDIS_PREFIX = "cyx-test-" + TestInfrastructure.RUN_ID + ":";

    public static final Map<String, WireMockServer> SERVICES = Map.of(
            "case-transfer-service", stub(0),
            "evidence-exchange-service", stub(0),
            "audit-service", stub(0));

    protected static final Path CREDENTIALS;

    protected static final JsonMapper JSON = JsonMapper.builder().build();

    static {
        try {
            CREDENTIALS = Files.createTempDirectory("cyx-gateway").resolve("demo-credentials.json");
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.register(registry, "gateway");
        registry.add("chuanyu.demo.credentials-file", CREDENTIALS::toString);
        SERVICES.forEach((service, stub) -> registry.add(
                "spring.cloud.discovery.client.simple.instances." + service + "[0].uri",
                () -> "http://localhost:" + stub.port()));
        registry.add("chuanyu.gateway.rate-limit.key-prefix", () -> REDIS_PREFIX);
        registry.add("chuanyu.gateway.rate-limit.default-limit.replenish-rate", () -> "1000");
        registry.add("chuanyu.gateway.rate-limit.default-limit.burst-capacity", () -> "2000");
        // One request every 4 s: slow enough that a loaded machine cannot refill the bucket between two calls.
        registry.add("chuanyu.gateway.rate-limit.principals." + RATE_LIMITED_AGENCY + ".replenish-rate", () -> "1");
        registry.add("chuanyu.gateway.rate-limit.principals." + RATE_LIMITED_AGENCY + ".burst-capacity", () -> "4");
        registry.add("chuanyu.gateway.rate-limit.principals." + RATE_LIMITED_AGENCY + ".requested-tokens", () -> "4");
        // Anonymous refusals are counted in windows of a minute; two seconds keep the tests short.
        registry.add("chuanyu.gateway.access-log.refusal-window", () -> "2s");
        registry.add("chuanyu.gateway.circuit-breaker.sliding-window-size", () -> "10");
        registry.add("chuanyu.gateway.circuit-breaker.minimum-number-of-calls", () -> "6");
        registry.add("chuanyu.gateway.circuit-breaker.wait-duration-in-open-state", () -> "2s");
        registry.add("EVIDENCE_TIMEOUT_MS", () -> "3000"); // downloads (GET): cut off in the timeout test
        // The database is shared with every other test run on this machine: stay small.
        registry.add("spring.datasource.hikari.maximum-pool-size", () -> "4");
    }

    /**
     * A stub service answering 201 {"stub":true} to anything; port 0 picks a free one. The port stays fixed, so a
     * stopped stub comes back where the gateway expects it.
     */
    protected static WireMockServer stub(int port) {
        WireMockServer server = new WireMockServer(options().port(port == 0 ? freePort() : port)
                .http2PlainDisabled(true));
        server.start();
        server.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"stub\":true}")));
        return server;
    }

    /** A stub service of its own, for tests that start a gateway themselves. */
    public static WireMockServer stubService() {
        return stub(0);
    }

    /**
     * Starts a gateway of its own; the properties take precedence over application.yml, as in production. It gets
     * its own Reactor Netty resources: closing it must not shut down the event loops of the shared test gateway.
     */
    public static ConfigurableApplicationContext start(Map<String, Object> properties, String... profiles) {
        Map<String, Object> all = new java.util.HashMap<>(properties);
        all.putIfAbsent("spring.datasource.hikari.maximum-pool-size", 4);
        String[] args = all.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        return new SpringApplicationBuilder(GatewayApplication.class).profiles(profiles)
                .initializers(context -> context.getBeanFactory().addBeanPostProcessor(new BeanPostProcessor() {
                    @Override
                    public Object postProcessBeforeInitialization(Object bean, String name) {
                        if (bean instanceof ReactorResourceFactory resources) {
                            resources.setUseGlobalResources(false);
                        }
                        return bean;
                    }
                }))
                .run(args);
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    @LocalServerPort
    protected int port;

    @Autowired
    protected JdbcClient jdbc;

    protected JsonNode credentials;

    @Autowired
    ReactiveResilience4JCircuitBreakerFactory circuitBreakers;

    @BeforeEach
    void readCredentials() throws IOException {
        credentials = JSON.readTree(Files.readString(CREDENTIALS));
        SERVICES.values().forEach(WireMockServer::resetRequests);
        // Each test starts with closed breakers, whatever failures earlier tests provoked on purpose.
        circuitBreakers.getCircuitBreakerRegistry().getAllCircuitBreakers().forEach(CircuitBreaker::reset);
    }

    protected String url(String path) {
        return "http://localhost:" + port + path;
    }

    protected String agencyKey(String agencyId) {
        return credentials.path("agencies").path(agencyId).path("apiKey").asString();
    }

    protected String operatorKey() {
        return credentials.path("operator").path("apiKey").asString();
    }

    protected String auditorKey() {
        return credentials.path("auditor").path("apiKey").asString();
    }

    protected TestHttp.Response get(String path, String key) {
        return TestHttp.get(url(path), "Authorization", "Bearer " + key);
    }

    protected TestHttp.Response post(String path, String key, String json) {
        return TestHttp.postJson(url(path), json, "Authorization", "Bearer " + key);
    }

    protected WireMockServer service(String name) {
        return SERVICES.get(name);
    }

    /** Outbox payloads (event envelopes) of one type whose JSON contains the text. */
    protected List<JsonNode> outboxEvents(String type, String containing) {
        return jdbc.sql("select payload from outbox_event where routing_key = :type and payload like :text order by seq")
                .param("type", type)
                .param("text", "%" + containing + "%")
                .query(String.class)
                .list()
                .stream()
                .map(JSON::readTree)
                .toList();
    }

    protected static void await(Duration atMost, Runnable assertion) {
        Awaitility.await().atMost(atMost).pollInterval(Duration.ofMillis(100)).untilAsserted(assertion::run);
    }
}
