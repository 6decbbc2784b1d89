package cn.chuanyu.casetransfer;

import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.security.KeyPair;
import java.time.Instant;
import java.util.Collections;
import java.util.List;

import cn.chuanyu.contracts.AgencyKind;
import cn.chuanyu.contracts.Region;
import cn.chuanyu.kit.agency.AgencyDirectory;
import cn.chuanyu.kit.identity.Caller;
import cn.chuanyu.kit.identity.Ed25519Keys;
import cn.chuanyu.kit.identity.PrincipalTokens;
import cn.chuanyu.kit.test.TestHttp;
import cn.chuanyu.kit.test.TestInfrastructure;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static cn.chuanyu.casetransfer.support.Agencies.agency;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 13, "trust nothing inside": a principal token is good for one service, one request, once, for seconds; the
 * evidence service reads exchanges as itself on a caller's behalf, and only those reads; and the service listens on
 * loopback only.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PrincipalTokenIT {

    static final Caller CHENGDU_COURT = agency("sc-chengdu-intermediate-court", Region.SC, AgencyKind.COURT);
    static final Caller CQ_COURT = agency("cq-first-intermediate-court", Region.CQ, AgencyKind.COURT);
    static final KeyPair EVIDENCE_SERVICE = Ed25519Keys.generate();
    static final String TRANSFERS = "/api/v1/case-transfers";
    static final String VALID = """
            {"caseNumber": "(2026)川01刑初777号", "title": "令牌测试", "caseType": "CRIMINAL",
             "toAgency": "cq-first-intermediate-court", "reason": "管辖", "summary": "移送"}""";

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.register(registry, "case_transfer");
        registry.add("chuanyu.identity.trusted-services.evidence-exchange-service.public-key",
                () -> Ed25519Keys.toPem(EVIDENCE_SERVICE.getPublic()));
    }

    @LocalServerPort
    int port;

    @Autowired
    AgencyDirectory agencies;

    @Autowired
    WebServerApplicationContext context;

    String id;

    @BeforeEach
    void aTransfer() {
        cn.chuanyu.casetransfer.support.Agencies.registerIn(agencies, CHENGDU_COURT, CQ_COURT);
        TestHttp.Response created = TestHttp.postJson(url(TRANSFERS), VALID, PrincipalTokens.HEADER,
                gateway("case-transfer-service", "POST", TRANSFERS));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        id = created.json().path("id").asString();
    }

    @Test
    void aTokenTheGatewaySignedForAnotherServiceIsRefused() {
        TestHttp.Response response = get(one(), gateway("evidence-exchange-service", "GET", one()));

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().path("detail").asString()).contains("not case-transfer-service");
    }

    @Test
    void aTokenForOneRequestIsRefusedOnAnother() {
        String forGet = gateway("case-transfer-service", "GET", one());

        TestHttp.Response replayed = TestHttp.postJson(url(one() + "/accept"), "{}", PrincipalTokens.HEADER, forGet);

        assertThat(replayed.status()).isEqualTo(401);
        assertThat(replayed.json().path("detail").asString()).contains("another request");
    }

    @Test
    void theSameTokenIsAcceptedOnce() {
        String token = gateway("case-transfer-service", "GET", one());

        assertThat(get(one(), token).status()).isEqualTo(200);
        TestHttp.Response again = get(one(), token);

        assertThat(again.status()).isEqualTo(401);
        assertThat(again.json().path("detail").asString()).contains("already used");
    }

    @Test
    void aTokenPastItsLifeAndTheFiveSecondSkewIsRefused() {
        Instant issued = Instant.now().minus(PrincipalTokens.LIFETIME).minusSeconds(6);
        String expired = PrincipalTokens.sign(new PrincipalTokens.Claims("gateway", "case-transfer-service", "GET",
                one(), "expired-1", issued, issued.plus(PrincipalTokens.LIFETIME), CHENGDU_COURT),
                TestInfrastructure.GATEWAY_KEYS.getPrivate());

        TestHttp.Response response = get(one(), expired);

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.json().path("detail").asString()).contains("expired");
    }

    @Test
    void theEvidenceServiceReadsAnExchangeAsItselfForTheCallerAndThePartyRuleIsTheCallers() {
        assertThat(get(one(), evidence(CHENGDU_COURT, "GET", one())).json().path("id").asString()).isEqualTo(id);
        Caller stranger = agency("cq-yubei-public-security", Region.CQ, AgencyKind.PUBLIC_SECURITY);
        cn.chuanyu.casetransfer.support.Agencies.registerIn(agencies, stranger);
        assertThat(get(one(), evidence(stranger, "GET", one())).status()).isEqualTo(404);
    }

    @Test
    void theEvidenceServiceMayNotMakeAnyOtherRequestForACaller() {
        TestHttp.Response write = TestHttp.postJson(url(one() + "/accept"), "{}", PrincipalTokens.HEADER,
                evidence(CQ_COURT, "POST", one() + "/accept"));
        TestHttp.Response inbox = get("/api/v1/inbox", evidence(CQ_COURT, "GET", "/api/v1/inbox"));

        assertThat(write.status()).isEqualTo(401);
        assertThat(write.json().path("detail").asString()).contains("may not call POST");
        assertThat(inbox.status()).isEqualTo(401);
    }

    @Test
    void aCallersOwnTokenPassedOnByTheEvidenceServiceIsRefused() {
        // What the evidence service received from the gateway: for itself, for the caller's request to it.
        String callersToken = gateway("evidence-exchange-service", "GET", one());

        assertThat(get(one(), callersToken).status()).isEqualTo(401);
    }

    @Test
    void aTokenSignedWithAnotherKeyInTheEvidenceServicesNameIsRefused() {
        String forged = new PrincipalTokens.Issuer("evidence-exchange-service", Ed25519Keys.generate().getPrivate())
                .tokenFor(CHENGDU_COURT, "case-transfer-service", "GET", one(), Instant.now());

        assertThat(get(one(), forged).status()).isEqualTo(401);
    }

    @Test
    void theServiceListensOnLoopbackOnly() throws Exception {
        InetAddress bound = (InetAddress) ((TomcatWebServer) context.getWebServer()).getTomcat().getConnector()
                .getProperty("address");
        assertThat(bound).isNotNull();
        assertThat(bound.isLoopbackAddress()).as(bound.toString()).isTrue();

        List<InetAddress> external = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                .flatMap(NetworkInterface::inetAddresses)
                .filter(address -> address instanceof Inet4Address && !address.isLoopbackAddress())
                .toList();
        for (InetAddress address : external) {
            assertThatThrownBy(() -> {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(address, port), 2000);
                }
            }).as(address.toString()).isInstanceOf(ConnectException.class);
        }
    }

    private String one() {
        return TRANSFERS + "/" + id;
    }

    private String url(String path) {
        return "http://localhost:" + port + path;
    }

    private TestHttp.Response get(String path, String token) {
        return TestHttp.get(url(path), PrincipalTokens.HEADER, token);
    }

    private static String gateway(String audience, String method, String path) {
        return TestInfrastructure.token(CHENGDU_COURT, audience, method, path);
    }

    private static String evidence(Caller caller, String method, String path) {
        return new PrincipalTokens.Issuer("evidence-exchange-service", EVIDENCE_SERVICE.getPrivate())
                .tokenFor(caller, "case-transfer-service", method, path, Instant.now());
    }
}
