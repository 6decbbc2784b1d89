package cn.chuanyu.gateway.identity;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import javax.net.ssl.SSLContext;

import cn.chuanyu.gateway.GatewayTestSupport;
import cn.chuanyu.gateway.TestCertificates;
import cn.chuanyu.kit.identity.Caller;
import cn.chuanyu.kit.identity.PrincipalTokens;
import cn.chuanyu.kit.test.TestInfrastructure;
import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A gateway with the mtls profile: HTTPS, client certificates requested and checked against the agencies' CA, an
 * agency known by its registered certificate subject. Certificates are made by the test.
 */
class MutualTlsIT {

    static final String AGENCY = "sc-chengdu-intermediate-court";
    static final String SUBJECT = "CN=sc-chengdu-intermediate-court, O=Chengdu Intermediate People's Court, C=CN";

    static final JsonMapper JSON = JsonMapper.builder().build();
    static TestCertificates.Issued agencyCa;
    static WireMockServer service;
    static ConfigurableApplicationContext gateway;
    static int port;
    static JsonNode credentials;

    @BeforeAll
    static void startGateway() throws IOException {
        agencyCa = TestCertificates.authority("CN=Chuanyu test agency CA, O=Chuanyu, C=CN");
        TestCertificates.Issued server = TestCertificates.server(agencyCa, "localhost");
        Path dir = Files.createTempDirectory("cyx-mtls");
        service = GatewayTestSupport.stubService();
        Map<String, Object> properties = new HashMap<>(TestInfrastructure.properties("gateway-mtls"));
        properties.put("GATEWAY_TLS_CERTIFICATE",
                "file:" + TestCertificates.writeCertificate(dir.resolve("server.pem"), server.certificate()));
        properties.put("GATEWAY_TLS_PRIVATE_KEY",
                "file:" + TestCertificates.writePrivateKey(dir.resolve("server-key.pem"), server.keys()));
        properties.put("GATEWAY_CLIENT_CA",
                "file:" + TestCertificates.writeCertificate(dir.resolve("agency-ca.pem"), agencyCa.certificate()));
        properties.put("chuanyu.demo.credentials-file", dir.resolve("demo-credentials.json").toString());
        properties.put("spring.cloud.discovery.client.simple.instances.case-transfer-service[0].uri",
                service.baseUrl());
        properties.put("server.port", 0);
        gateway = GatewayTestSupport.start(properties, "mtls");
        port = Integer.parseInt(gateway.getEnvironment().getProperty("local.server.port"));
        credentials = JSON.readTree(Files.readString(dir.resolve("demo-credentials.json")));

        // The operator (with a key, no certificate) registers the agency's certificate subject.
        HttpResponse<String> registered = send(TestCertificates.trustingOnly(agencyCa.certificate()),
                HttpRequest.newBuilder(uri("/api/v1/admin/agencies/" + AGENCY + "/client-certificate"))
                        .PUT(HttpRequest.BodyPublishers.ofString("{\"subject\":\"" + SUBJECT + "\"}"))
                        .header("Content-Type", "application/json")
                        .header("Authorization", "Bearer " + credentials.path("operator").path("apiKey").asString()));
        assertThat(registered.statusCode()).as(registered.body()).isEqualTo(200);
        assertThat(JSON.readTree(registered.body()).path("clientCertificateSubject").asString())
                .isEqualTo("CN=sc-chengdu-intermediate-court,O=Chengdu Intermediate People's Court,C=CN");
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (service != null) {
            service.stop();
        }
    }

    @Test
    void anAgencyIsKnownByItsRegisteredClientCertificate() throws Exception {
        // Case and spacing of the subject do not matter.
        TestCertificates.Issued certificate = TestCertificates.client(agencyCa,
                "cn=SC-Chengdu-Intermediate-Court,o=Chengdu Intermediate People's Court,c=CN");
        service.resetRequests();

        HttpResponse<String> response = send(certificate.clientContext(agencyCa.certificate()),
                HttpRequest.newBuilder(uri("/api/v1/case-transfers")).GET());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        Caller caller = TestInfrastructure.verifyAs("case-transfer-service", service.getAllServeEvents().get(0)
                .getRequest().getHeader(PrincipalTokens.HEADER), "GET", "/api/v1/case-transfers").caller();
        assertThat(caller.id()).isEqualTo(AGENCY);
    }

    @Test
    void aCertificateOfTheCaWithAnUnregisteredSubjectIs401() throws Exception {
        TestCertificates.Issued stranger = TestCertificates.client(agencyCa, "CN=somebody-else, O=Nowhere, C=CN");
        HttpResponse<String> response = send(stranger.clientContext(agencyCa.certificate()),
                HttpRequest.newBuilder(uri("/api/v1/case-transfers")).GET());
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(response.body()).contains("not registered");
    }

    @Test
    void aCertificateFromAnotherCaIsRejectedEvenWithTheRegisteredSubject() {
        TestCertificates.Issued rogueCa = TestCertificates.authority("CN=Rogue CA, C=CN");
        TestCertificates.Issued forged = TestCertificates.client(rogueCa, SUBJECT);
        service.resetRequests();
        Integer status;
        try {
            status = send(forged.clientContext(agencyCa.certificate()),
                    HttpRequest.newBuilder(uri("/api/v1/case-transfers")).GET()).statusCode();
        }
        catch (IOException ex) {
            status = null; // the TLS handshake refused the certificate
        }
        assertThat(status).as("handshake refused or 401").isIn(null, 401);
        assertThat(service.getAllServeEvents()).isEmpty();
    }

    @Test
    void apiKeysKeepWorkingOverTlsWithoutACertificate() throws Exception {
        SSLContext plain = TestCertificates.trustingOnly(agencyCa.certificate());
        String key = credentials.path("agencies").path("cq-yubei-public-security").path("apiKey").asString();
        assertThat(send(plain, HttpRequest.newBuilder(uri("/api/v1/case-transfers")).GET()
                .header("Authorization", "Bearer " + key)).statusCode()).isEqualTo(201);
        assertThat(send(plain, HttpRequest.newBuilder(uri("/api/v1/case-transfers")).GET()).statusCode())
                .isEqualTo(401);
    }

    static URI uri(String path) {
        return URI.create("https://localhost:" + port + path);
    }

    static HttpResponse<String> send(SSLContext ssl, HttpRequest.Builder request) throws IOException {
        HttpClient client = HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5)).build();
        try {
            return client.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }
}
