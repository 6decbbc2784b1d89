package cn.chuanyu.gateway.protection;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import cn.chuanyu.gateway.GatewayTestSupport;
import cn.chuanyu.kit.test.TestHttp;
import cn.chuanyu.kit.test.TestInfrastructure;
import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A flood without a key from one address is answered 429 by the address limit, before authentication; health
 * checks from that address still answer.
 */
class AddressRateLimitIT {

    @Test
    void anAnonymousFloodIsLimitedByAddressBeforeAuthentication() throws Exception {
        WireMockServer service = GatewayTestSupport.stubService();
        Path credentialsFile = Files.createTempDirectory("cyx-flood").resolve("demo-credentials.json");
        Map<String, Object> properties = new HashMap<>(TestInfrastructure.properties("gateway-flood"));
        properties.put("server.port", 0);
        properties.put("chuanyu.demo.credentials-file", credentialsFile.toString());
        properties.put("spring.cloud.discovery.client.simple.instances.case-transfer-service[0].uri",
                service.baseUrl());
        properties.put("chuanyu.gateway.rate-limit.key-prefix", GatewayTestSupport.REDIS_PREFIX + "flood:");
        // Bursts of five, then one request every 4 s.
        properties.put("chuanyu.gateway.rate-limit.per-address.replenish-rate", 1);
        properties.put("chuanyu.gateway.rate-limit.per-address.burst-capacity", 20);
        properties.put("chuanyu.gateway.rate-limit.per-address.requested-tokens", 4);
        ConfigurableApplicationContext gateway = GatewayTestSupport.start(properties);
        try {
            String base = "http://localhost:" + gateway.getEnvironment().getProperty("local.server.port");
            List<Integer> statuses = new ArrayList<>();
            TestHttp.Response limited = null;
            long started = System.nanoTime();
            for (int i = 0; i < 20; i++) {
                TestHttp.Response response = TestHttp.get(base + "/api/v1/case-transfers");
                statuses.add(response.status());
                if (response.status() == 429) {
                    limited = response;
                }
            }
            assertThat(statuses).as("statuses of the flood").contains(429);
            long seconds = (System.nanoTime() - started) / 1_000_000_000L;
            assertThat(statuses).containsOnly(401, 429);
            assertThat(statuses.stream().filter(s -> s == 401).count()).as("requests that reached authentication")
                    .isLessThanOrEqualTo(5 + seconds / 4 + 1);
            assertThat(limited.header("Retry-After")).isNotBlank();
            assertThat(limited.header("Content-Type")).startsWith("application/problem+json");
            assertThat(limited.json().path("detail").asString()).startsWith("address ");
            assertThat(service.getAllServeEvents()).isEmpty();
            assertThat(TestHttp.get(base + "/actuator/health/readiness").status()).isEqualTo(200);
        }
        finally {
            gateway.close();
            service.stop();
        }
    }
}
