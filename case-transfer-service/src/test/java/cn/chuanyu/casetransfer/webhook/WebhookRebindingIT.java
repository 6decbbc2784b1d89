package cn.chuanyu.casetransfer.webhook;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import cn.chuanyu.casetransfer.support.Agencies;
import cn.chuanyu.contracts.AgencyKind;
import cn.chuanyu.contracts.Region;
import cn.chuanyu.contracts.Role;
import cn.chuanyu.kit.agency.AgencyDirectory;
import cn.chuanyu.kit.identity.Caller;
import cn.chuanyu.kit.test.TestHttp;
import cn.chuanyu.kit.test.TestInfrastructure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Production mode (no {@code allow-private-targets}): a host that resolved to a public address at registration and
 * to loopback when the delivery is sent (DNS rebinding) is refused at connect time, before any connection; the
 * agency learns only that the delivery failed, operators learn why.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "chuanyu.webhooks.initial-backoff=200ms",
    "chuanyu.webhooks.poll-interval=100ms",
    "chuanyu.webhooks.max-attempts=2",
    "chuanyu.deadlines.scan-interval=1h"})
class WebhookRebindingIT {

    static final String HOST = "hooks.rebinding.test";
    static final AtomicBoolean REBOUND = new AtomicBoolean();

    @TestConfiguration
    static class RebindingDns {

        /** A DNS server under the attacker's control: public while the URL is checked, loopback afterwards. */
        @Bean
        @Primary
        WebhookHostLookup rebindingLookup() {
            return host -> {
                if (HOST.equals(host)) {
                    return new InetAddress[] {InetAddress.getByName(REBOUND.get() ? "127.0.0.1" : "93.184.216.34")};
                }
                throw new UnknownHostException(host);
            };
        }
    }

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.register(registry, "case_transfer");
    }

    final String suffix = Long.toString(System.nanoTime(), 36);
    final Caller sender = Agencies.agency("sc-court-" + suffix, Region.SC, AgencyKind.COURT);
    final Caller recipient = Agencies.agency("cq-police-" + suffix, Region.CQ, AgencyKind.PUBLIC_SECURITY);

    @LocalServerPort
    int port;

    @Autowired
    AgencyDirectory agencies;

    /** An internal service on this machine; it must never see a connection. */
    ServerSocket internal;
    final AtomicInteger connections = new AtomicInteger();
    Thread acceptor;

    @BeforeEach
    void setUp() throws IOException {
        REBOUND.set(false);
        Agencies.registerIn(agencies, sender, recipient);
        internal = new ServerSocket();
        internal.bind(new InetSocketAddress("127.0.0.1", 0));
        internal.setSoTimeout(200);
        acceptor = new Thread(() -> {
            while (!internal.isClosed()) {
                try (Socket accepted = internal.accept()) {
                    connections.incrementAndGet();
                }
                catch (SocketTimeoutException ex) {
                    // keep listening
                }
                catch (IOException ex) {
                    return;
                }
            }
        }, "internal-service");
        acceptor.start();
    }

    @AfterEach
    void tearDown() throws Exception {
        internal.close();
        acceptor.join(5000);
    }

    @Test
    void aHostRebindingToLoopbackAfterRegistrationIsRefusedAtConnectTimeAndTheAgencySeesOnlyThatItFailed() {
        TestHttp.Response registered = Agencies.post(port, recipient, "/api/v1/webhooks",
                "{\"url\": \"https://" + HOST + ":" + internal.getLocalPort() + "/hook\"}");
        assertThat(registered.status()).as(registered.body()).isEqualTo(201);
        String hookId = registered.json().path("id").asString();

        REBOUND.set(true);
        TestHttp.Response transfer = Agencies.post(port, sender, "/api/v1/case-transfers", """
                {"caseNumber": "(2026)川01刑初9号", "title": "跨区域盗窃案", "caseType": "CRIMINAL",
                 "toAgency": "%s", "reason": "犯罪地在重庆"}""".formatted(recipient.id()));
        assertThat(transfer.status()).as(transfer.body()).isEqualTo(201);

        String deliveries = "/api/v1/webhooks/" + hookId + "/deliveries";
        await().atMost(Duration.ofSeconds(20)).until(() -> "FAILED".equals(Agencies.get(port, recipient, deliveries)
                .json().path("items").path(0).path("state").asString()));
        JsonNode delivery = Agencies.get(port, recipient, deliveries).json().path("items").get(0);
        assertThat(delivery.path("attempts").asInt()).isEqualTo(2);
        assertThat(delivery.path("lastError").asString()).isEqualTo("delivery failed");
        assertThat(delivery.path("lastStatus").isNull()).isTrue();
        assertThat(connections.get()).as("connections that reached the internal service").isZero();

        TestHttp.Response ops = TestHttp.get("http://localhost:" + port + "/api/v1/ops/webhook-deliveries?agency="
                + recipient.id(), "X-Chuanyu-Principal", TestInfrastructure.token(new Caller("ops-operator",
                        Role.OPERATOR, null, null)));
        assertThat(ops.status()).as(ops.body()).isEqualTo(200);
        assertThat(ops.json().path("items").get(0).path("lastError").asString())
                .contains(HOST, "127.0.0.1", "127.0.0.0/8 loopback");
    }

    @Test
    void specialPurposeTargetsAreRefusedAtRegistrationInProductionMode() {
        for (String url : new String[] {"https://169.254.169.254/latest", "https://[fd00:ec2::254]/",
            "https://[64:ff9b::a9fe:a9fe]/", "https://100.64.0.1/", "https://0.0.0.1/", "https://[fc00::1]/",
            "https://127.0.0.1/", "http://93.184.216.34/"}) {
            TestHttp.Response refused = Agencies.post(port, recipient, "/api/v1/webhooks",
                    "{\"url\": \"" + url + "\"}");
            assertThat(refused.status()).as(url + ": " + refused.body()).isEqualTo(422);
            assertThat(refused.json().path("errors").findValuesAsString("field")).containsExactly("url");
        }
    }
}
