package cn.chuanyu.gateway.protection;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import cn.chuanyu.gateway.GatewayTestSupport;
import cn.chuanyu.kit.test.TestHttp;
import cn.chuanyu.kit.test.TestInfrastructure;
import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A gateway whose Redis is unreachable: the rate limiter lets requests through (an outage of Redis is not an outage
 * of the platform), and /actuator/health says DOWN naming redis so operators see it.
 */
class RedisOutageIT {

    @Test
    void requestsPassUnlimitedAndHealthShowsRedisDown() throws Exception {
        WireMockServer service = GatewayTestSupport.stubService();
        Path credentialsFile = Files.createTempDirectory("cyx-redis").resolve("demo-credentials.json");
        Map<String, Object> properties = new HashMap<>(TestInfrastructure.properties("gateway-redis"));
        properties.put("REDIS_PORT", GatewayTestSupport.freePort()); // nothing listens there
        properties.put("server.port", 0);
        properties.put("chuanyu.demo.credentials-file", credentialsFile.toString());
        properties.put("spring.cloud.discovery.client.simple.instances.case-transfer-service[0].uri",
                service.baseUrl());
        properties.put("chuanyu.gateway.rate-limit.default-limit.replenish-rate", 1);
        properties.put("chuanyu.gateway.rate-limit.default-limit.burst-capacity", 1);
        ConfigurableApplicationContext gateway = GatewayTestSupport.start(properties);
        try {
            String base = "http://localhost:" + gateway.getEnvironment().getProperty("local.server.port");
            JsonNode credentials = JsonMapper.builder().build().readTree(Files.readString(credentialsFile));
            String key = credentials.path("agencies").path("sc-chengdu-procuratorate").path("apiKey").asString();

            for (int i = 0; i < 3; i++) {
                assertThat(TestHttp.get(base + "/api/v1/case-transfers", "Authorization", "Bearer " + key).status())
                        .isEqualTo(201);
            }
            TestHttp.Response health = TestHttp.get(base + "/actuator/health");
            assertThat(health.status()).isEqualTo(503);
            assertThat(health.json().path("status").asString()).isEqualTo("DOWN");
            assertThat(health.json().path("components").path("redis").path("status").asString()).isEqualTo("DOWN");
            assertThat(TestHttp.get(base + "/actuator/health/readiness").status()).isEqualTo(200);
        }
        finally {
            gateway.close();
            service.stop();
        }
    }
}
