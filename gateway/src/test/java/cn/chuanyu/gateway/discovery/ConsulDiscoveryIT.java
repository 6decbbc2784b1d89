package cn.chuanyu.gateway.discovery;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import cn.chuanyu.gateway.GatewayTestSupport;
import cn.chuanyu.kit.test.TestHttp;
import cn.chuanyu.kit.test.TestInfrastructure;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway with the consul profile against a stub of the Consul agent's HTTP API: it registers with a health
 * check on its actuator health, routes lb:// to the instance Consul reports as passing, and deregisters (after
 * writing every access record) when it shuts down.
 */
class ConsulDiscoveryIT {

    static final JsonMapper JSON = JsonMapper.builder().build();

    WireMockServer consul;
    WireMockServer passing;
    WireMockServer failing;
    ConfigurableApplicationContext gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        for (WireMockServer server : new WireMockServer[] {consul, passing, failing}) {
            if (server != null) {
                server.stop();
            }
        }
    }

    @Test
    void registersResolvesPassingInstancesAndDeregistersOnShutdown() throws Exception {
        passing = GatewayTestSupport.stubService();
        failing = GatewayTestSupport.stubService();
        consul = new WireMockServer(options().dynamicPort().http2PlainDisabled(true));
        consul.start();
        consul.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{}")));
        consul.stubFor(get(urlPathEqualTo("/v1/status/leader")).willReturn(aResponse().withBody("\"127.0.0.1:8300\"")));
        consul.stubFor(get(urlPathEqualTo("/v1/catalog/services")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withHeader("X-Consul-Index", "1")
                .withBody("{\"case-transfer-service\":[],\"gateway\":[]}")));
        consul.stubFor(put(urlPathEqualTo("/v1/agent/service/register")).willReturn(aResponse().withStatus(200)));
        consul.stubFor(put(urlPathMatching("/v1/agent/service/deregister/.*")).willReturn(aResponse().withStatus(200)));
        // All instances, and only the passing one when asked for passing instances.
        consul.stubFor(get(urlPathEqualTo("/v1/health/service/case-transfer-service")).atPriority(5)
                .willReturn(health(failing.port(), passing.port())));
        consul.stubFor(get(urlPathEqualTo("/v1/health/service/case-transfer-service")).atPriority(1)
                .withQueryParam("passing", equalTo("true")).willReturn(health(passing.port())));

        int port = GatewayTestSupport.freePort();
        Path credentialsFile = Files.createTempDirectory("cyx-consul").resolve("demo-credentials.json");
        Map<String, Object> properties = new HashMap<>(TestInfrastructure.properties("gateway-consul"));
        properties.put("CONSUL_HOST", "localhost");
        properties.put("CONSUL_PORT", consul.port());
        properties.put("server.port", port);
        properties.put("chuanyu.demo.credentials-file", credentialsFile.toString());
        gateway = GatewayTestSupport.start(properties, "consul");

        // Registration: name, id, port and a health check on the actuator.
        List<LoggedRequest> registrations = consul.findAll(putRequestedFor(urlPathEqualTo("/v1/agent/service/register")));
        assertThat(registrations).hasSize(1);
        JsonNode registration = JSON.readTree(registrations.get(0).getBodyAsString());
        assertThat(registration.path("Name").asString()).isEqualTo("gateway");
        String id = registration.path("ID").asString();
        assertThat(id).startsWith("gateway-").endsWith("-" + port);
        assertThat(registration.path("Port").asInt()).isEqualTo(port);
        assertThat(registration.path("Check").path("HTTP").asString())
                .isEqualTo("http://" + registration.path("Address").asString() + ":" + port + "/actuator/health");
        assertThat(registration.path("Check").path("Interval").asString()).isEqualTo("10s");

        // lb:// resolves to the instance Consul reports as passing.
        JsonNode credentials = JSON.readTree(Files.readString(credentialsFile));
        String key = credentials.path("agencies").path("cq-first-intermediate-court").path("apiKey").asString();
        String correlationId = "consul-" + UUID.randomUUID();
        TestHttp.Response response = TestHttp.get("http://localhost:" + port + "/api/v1/case-transfers",
                "Authorization", "Bearer " + key, "X-Correlation-Id", correlationId);
        assertThat(response.status()).isEqualTo(201);
        assertThat(passing.getAllServeEvents()).hasSize(1);
        assertThat(failing.getAllServeEvents()).isEmpty();
        consul.verify(getRequestedFor(urlPathEqualTo("/v1/health/service/case-transfer-service"))
                .withQueryParam("passing", equalTo("true")));

        // A normal shutdown deregisters and still writes the access record of the last request.
        gateway.close();
        gateway = null;
        consul.verify(putRequestedFor(urlPathEqualTo("/v1/agent/service/deregister/" + id)));
        assertThat(accessRecords(TestInfrastructure.database("gateway-consul"), correlationId)).isEqualTo(1);
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder health(int... ports) {
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < ports.length; i++) {
            body.append(i == 0 ? "" : ",").append("""
                    {"Node":{"ID":"n%1$d","Node":"node-%1$d","Address":"127.0.0.1","Datacenter":"dc1"},
                     "Service":{"ID":"case-transfer-service-%1$d","Service":"case-transfer-service",
                                "Address":"127.0.0.1","Port":%1$d,"Tags":[],"Meta":{}},
                     "Checks":[]}""".formatted(ports[i]));
        }
        return aResponse().withHeader("Content-Type", "application/json").withHeader("X-Consul-Index", "1")
                .withBody(body.append("]").toString());
    }

    private static int accessRecords(String database, String correlationId) throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:postgresql://localhost:5432/" + database,
                "postgres", "");
                PreparedStatement query = connection.prepareStatement(
                        "select count(*) from outbox_event where routing_key = 'gateway.access' and payload like ?")) {
            query.setString(1, "%" + correlationId + "%");
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
