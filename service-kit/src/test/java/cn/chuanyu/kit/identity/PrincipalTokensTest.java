package cn.chuanyu.kit.identity;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

import cn.chuanyu.contracts.AgencyKind;
import cn.chuanyu.contracts.Region;
import cn.chuanyu.contracts.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PrincipalTokensTest {

    private static final KeyPair GATEWAY = Ed25519Keys.generate();
    private static final KeyPair EVIDENCE = Ed25519Keys.generate();
    private static final Instant NOW = Instant.parse("2026-11-26T08:00:00Z");
    private static final Caller COURT = new Caller("sc-chengdu-intermediate-court", Role.AGENCY, Region.SC,
            AgencyKind.COURT);
    private static final String PATH = "/api/v1/case-transfers/0b8f3c1e-1d2a-4c1e-9a8b-3f0c2d1e4b5a";

    private final PrincipalTokens.Issuer gateway = new PrincipalTokens.Issuer(PrincipalTokens.GATEWAY,
            GATEWAY.getPrivate());
    private final PrincipalTokens.Verifier caseTransfers = new PrincipalTokens.Verifier("case-transfer-service",
            Map.of(PrincipalTokens.GATEWAY, GATEWAY.getPublic(), "evidence-exchange-service", EVIDENCE.getPublic()));

    @Test
    void aTokenForThisServiceAndRequestNamesTheCallerAndItsIssuer() {
        String token = gateway.tokenFor(COURT, "case-transfer-service", "GET", PATH, NOW);

        PrincipalTokens.Verified verified = caseTransfers.verify(token, "GET", PATH, NOW.plusSeconds(1));

        assertThat(verified.caller()).isEqualTo(COURT);
        assertThat(verified.issuer()).isEqualTo("gateway");
        assertThat(verified.fromService()).isFalse();
    }

    @Test
    void operatorsAndAuditorsHaveNoRegionOrKind() {
        Caller operator = new Caller("ops-operator", Role.OPERATOR, null, null);
        String token = gateway.tokenFor(operator, "case-transfer-service", "GET", "/api/v1/ops/exchanges", NOW);

        assertThat(caseTransfers.verify(token, "GET", "/api/v1/ops/exchanges", NOW).caller()).isEqualTo(operator);
    }

    @Test
    void aTokenForAnotherServiceIsRefused() {
        String forEvidence = gateway.tokenFor(COURT, "evidence-exchange-service", "GET", PATH, NOW);

        assertThatThrownBy(() -> caseTransfers.verify(forEvidence, "GET", PATH, NOW))
                .isInstanceOf(InvalidPrincipalException.class).hasMessageContaining("not case-transfer-service");
    }

    @Test
    void aTokenForOneRequestIsRefusedOnAnother() {
        String forGet = gateway.tokenFor(COURT, "case-transfer-service", "GET", PATH, NOW);

        assertThatThrownBy(() -> caseTransfers.verify(forGet, "POST", PATH, NOW))
                .isInstanceOf(InvalidPrincipalException.class).hasMessageContaining("another request");
        assertThatThrownBy(() -> caseTransfers.verify(forGet, "GET", PATH + "/accept", NOW))
                .isInstanceOf(InvalidPrincipalException.class).hasMessageContaining("another request");
    }

    @Test
    void aTokenIsAcceptedOnce() {
        String token = gateway.tokenFor(COURT, "case-transfer-service", "GET", PATH, NOW);
        caseTransfers.verify(token, "GET", PATH, NOW);

        assertThatThrownBy(() -> caseTransfers.verify(token, "GET", PATH, NOW.plusSeconds(1)))
                .isInstanceOf(InvalidPrincipalException.class).hasMessageContaining("already used");
    }

    @Test
    void theGatewaySignsAFreshTokenForEveryRequest() {
        assertThat(gateway.tokenFor(COURT, "case-transfer-service", "GET", PATH, NOW))
                .isNotEqualTo(gateway.tokenFor(COURT, "case-transfer-service", "GET", PATH, NOW));
    }

    @Test
    void aTokenIsRefusedMoreThanFiveSecondsAfterItExpiresOrBeforeItIsIssued() {
        String token = gateway.tokenFor(COURT, "case-transfer-service", "GET", PATH, NOW);
        Instant expires = NOW.plus(PrincipalTokens.LIFETIME);

        assertThat(PrincipalTokens.CLOCK_SKEW).isEqualTo(java.time.Duration.ofSeconds(5));
        assertThatThrownBy(() -> caseTransfers.verify(token, "GET", PATH, expires.plusSeconds(6)))
                .isInstanceOf(InvalidPrincipalException.class).hasMessageContaining("expired");
        assertThatThrownBy(() -> caseTransfers.verify(token, "GET", PATH, NOW.minusSeconds(6)))
                .isInstanceOf(InvalidPrincipalException.class).hasMessageContaining("expired");
        assertThat(caseTransfers.verify(token, "GET", PATH, expires.plusSeconds(4)).caller()).isEqualTo(COURT);
    }

    @Test
    void aLongLivedTokenIsRefusedEvenIfItsIssuerSignedIt() {
        String token = PrincipalTokens.sign(new PrincipalTokens.Claims("gateway", "case-transfer-service", "GET", PATH,
                "id-1", NOW, NOW.plusSeconds(3600), COURT), GATEWAY.getPrivate());

        assertThatThrownBy(() -> caseTransfers.verify(token, "GET", PATH, NOW))
                .isInstanceOf(InvalidPrincipalException.class).hasMessageContaining("expired");
    }

    @Test
    void aServiceTokenNamesTheServiceAndTheOriginalCaller() {
        var evidence = new PrincipalTokens.Issuer("evidence-exchange-service", EVIDENCE.getPrivate());
        String token = evidence.tokenFor(COURT, "case-transfer-service", "GET", PATH, NOW);

        PrincipalTokens.Verified verified = caseTransfers.verify(token, "GET", PATH, NOW);

        assertThat(verified.caller()).isEqualTo(COURT);
        assertThat(verified.issuer()).isEqualTo("evidence-exchange-service");
        assertThat(verified.fromService()).isTrue();
    }

    @Test
    void aTokenFromAnUntrustedIssuerOrSignedWithAnotherKeyIsRefused() {
        var audit = new PrincipalTokens.Issuer("audit-service", Ed25519Keys.generate().getPrivate());
        var impostor = new PrincipalTokens.Issuer(PrincipalTokens.GATEWAY, EVIDENCE.getPrivate());

        assertThatThrownBy(() -> caseTransfers.verify(audit.tokenFor(COURT, "case-transfer-service", "GET", PATH, NOW),
                "GET", PATH, NOW)).isInstanceOf(InvalidPrincipalException.class).hasMessageContaining("not trusted");
        assertThatThrownBy(() -> caseTransfers.verify(impostor.tokenFor(COURT, "case-transfer-service", "GET", PATH,
                NOW), "GET", PATH, NOW)).isInstanceOf(InvalidPrincipalException.class)
                .hasMessageContaining("signature");
    }

    @Test
    void aTamperedTokenIsRefused() {
        String token = gateway.tokenFor(COURT, "case-transfer-service", "GET", PATH, NOW);
        String body = new String(Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))));
        String tampered = Base64.getUrlEncoder().withoutPadding().encodeToString(
                body.replace("AGENCY", "OPERATOR").getBytes()) + token.substring(token.indexOf('.'));

        assertThatThrownBy(() -> caseTransfers.verify(tampered, "GET", PATH, NOW))
                .isInstanceOf(InvalidPrincipalException.class);
    }

    @Test
    void missingAndMalformedTokensAreRefused() {
        for (String bad : new String[] {null, "", "abc", "a.b.c", "!!!.???", "x".repeat(5000)}) {
            assertThatThrownBy(() -> caseTransfers.verify(bad, "GET", PATH, NOW))
                    .as(String.valueOf(bad)).isInstanceOf(InvalidPrincipalException.class);
        }
    }

    @Test
    void aServiceMakesItsKeyPairOnceAndPublishesThePublicHalf(@TempDir Path dir) throws Exception {
        Path privateKey = dir.resolve("keys/evidence-exchange-service-private.pem");

        KeyPair made = cn.chuanyu.kit.keys.KeyFiles.serviceKeyPair(privateKey);
        KeyPair again = cn.chuanyu.kit.keys.KeyFiles.serviceKeyPair(privateKey);

        assertThat(again.getPrivate().getEncoded()).isEqualTo(made.getPrivate().getEncoded());
        Path publicKey = dir.resolve("keys/evidence-exchange-service-public.pem");
        assertThat(Ed25519Keys.publicKey(Files.readString(publicKey))).isEqualTo(made.getPublic());
        assertThat(Files.getPosixFilePermissions(privateKey))
                .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        var verifier = new PrincipalTokens.Verifier("case-transfer-service",
                Map.of("evidence-exchange-service", Ed25519Keys.publicKey(Files.readString(publicKey))));
        String token = new PrincipalTokens.Issuer("evidence-exchange-service", again.getPrivate())
                .tokenFor(COURT, "case-transfer-service", "GET", PATH, NOW);
        assertThat(verifier.verify(token, "GET", PATH, NOW).caller()).isEqualTo(COURT);
    }

    @Test
    void aTrustedServiceMayMakeOnlyTheRequestsItIsAllowed() {
        var services = new TrustedServices(Map.of("evidence-exchange-service", new TrustedServices.Trusted(
                "file:/nonexistent", java.util.List.of("GET /api/v1/case-transfers/{id}"))));

        services.requireAllowed("evidence-exchange-service", "GET", PATH);
        assertThatThrownBy(() -> services.requireAllowed("evidence-exchange-service", "POST", PATH))
                .isInstanceOf(InvalidPrincipalException.class);
        assertThatThrownBy(() -> services.requireAllowed("evidence-exchange-service", "GET", PATH + "/accept"))
                .isInstanceOf(InvalidPrincipalException.class);
        assertThatThrownBy(() -> services.requireAllowed("evidence-exchange-service", "GET", "/api/v1/inbox"))
                .isInstanceOf(InvalidPrincipalException.class);
        assertThat(services.keyOf("evidence-exchange-service")).as("key file not there yet").isNull();
        assertThat(services.keyOf("audit-service")).isNull();
    }
}
