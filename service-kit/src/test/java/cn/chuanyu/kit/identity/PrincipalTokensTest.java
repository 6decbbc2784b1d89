package cn.chuanyu.kit.identity;

import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import cn.chuanyu.contracts.AgencyKind;
import cn.chuanyu.contracts.Region;
import cn.chuanyu.contracts.Role;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PrincipalTokensTest {

    private static final KeyPair GATEWAY = Ed25519Keys.generate();
    private static final Instant NOW = Instant.parse("2026-11-26T08:00:00Z");
    private static final Caller COURT = new Caller("sc-chengdu-intermediate-court", Role.AGENCY, Region.SC,
            AgencyKind.COURT);

    @Test
    void aTokenSignedByTheGatewayNamesTheCaller() {
        String token = PrincipalTokens.sign(COURT, GATEWAY.getPrivate(), NOW, Duration.ofSeconds(60));

        assertThat(PrincipalTokens.verify(token, GATEWAY.getPublic(), NOW.plusSeconds(10))).isEqualTo(COURT);
    }

    @Test
    void operatorsCarryNoRegionOrKind() {
        Caller operator = new Caller("ops-operator", Role.OPERATOR, null, null);
        String token = PrincipalTokens.sign(operator, GATEWAY.getPrivate(), NOW, Duration.ofSeconds(60));

        assertThat(PrincipalTokens.verify(token, GATEWAY.getPublic(), NOW)).isEqualTo(operator);
    }

    @Test
    void aTokenSignedByAnyOtherKeyIsRefused() {
        String forged = PrincipalTokens.sign(COURT, Ed25519Keys.generate().getPrivate(), NOW, Duration.ofSeconds(60));

        assertThatThrownBy(() -> PrincipalTokens.verify(forged, GATEWAY.getPublic(), NOW))
                .isInstanceOf(InvalidPrincipalException.class)
                .hasMessageContaining("signature");
    }

    @Test
    void changingTheClaimsBreaksTheSignature() {
        String token = PrincipalTokens.sign(COURT, GATEWAY.getPrivate(), NOW, Duration.ofSeconds(60));
        String claims = new String(Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))));
        String tampered = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(claims.replace("AGENCY", "AUDITOR").getBytes()) + token.substring(token.indexOf('.'));

        assertThatThrownBy(() -> PrincipalTokens.verify(tampered, GATEWAY.getPublic(), NOW))
                .isInstanceOf(InvalidPrincipalException.class);
    }

    @Test
    void anExpiredTokenIsRefused() {
        String token = PrincipalTokens.sign(COURT, GATEWAY.getPrivate(), NOW, Duration.ofSeconds(60));

        assertThatThrownBy(() -> PrincipalTokens.verify(token, GATEWAY.getPublic(), NOW.plusSeconds(120)))
                .isInstanceOf(InvalidPrincipalException.class)
                .hasMessageContaining("expired");
    }

    @Test
    void garbageAndMissingTokensAreRefused() {
        for (String bad : new String[] {null, "", "abc", "a.b.c", "!!!.???", "e30.e30"}) {
            assertThatThrownBy(() -> PrincipalTokens.verify(bad, GATEWAY.getPublic(), NOW))
                    .as("token %s", bad)
                    .isInstanceOf(InvalidPrincipalException.class);
        }
    }

    @Test
    void theSignerReusesACallersTokenForHalfItsLifetimeThenSignsAFreshOne() {
        PrincipalTokens.Signer signer = new PrincipalTokens.Signer(GATEWAY.getPrivate(), Duration.ofSeconds(60));
        Caller other = new Caller("cq-first-intermediate-court", Role.AGENCY, Region.CQ, AgencyKind.COURT);

        String first = signer.tokenFor(COURT, NOW);

        assertThat(signer.tokenFor(COURT, NOW.plusSeconds(29))).isEqualTo(first);
        assertThat(signer.tokenFor(other, NOW.plusSeconds(1))).isNotEqualTo(first);
        String renewed = signer.tokenFor(COURT, NOW.plusSeconds(31));
        assertThat(renewed).isNotEqualTo(first);
        // A reused token is still inside its validity when it is handed out.
        assertThat(PrincipalTokens.verify(first, GATEWAY.getPublic(), NOW.plusSeconds(29))).isEqualTo(COURT);
        assertThat(PrincipalTokens.verify(renewed, GATEWAY.getPublic(), NOW.plusSeconds(31 + 59))).isEqualTo(COURT);
    }

    @Test
    void theVerifierRemembersASignatureButStillRefusesTheTokenOnceExpired() {
        PrincipalTokens.Verifier verifier = new PrincipalTokens.Verifier(GATEWAY.getPublic());
        String token = PrincipalTokens.sign(COURT, GATEWAY.getPrivate(), NOW, Duration.ofSeconds(60));

        assertThat(verifier.verify(token, NOW)).isEqualTo(COURT);
        assertThat(verifier.verify(token, NOW.plusSeconds(30))).isEqualTo(COURT);
        assertThatThrownBy(() -> verifier.verify(token, NOW.plusSeconds(120)))
                .isInstanceOf(InvalidPrincipalException.class)
                .hasMessageContaining("expired");
    }

    @Test
    void theVerifierNeverRemembersARefusedToken() {
        PrincipalTokens.Verifier verifier = new PrincipalTokens.Verifier(GATEWAY.getPublic());
        String forged = PrincipalTokens.sign(COURT, Ed25519Keys.generate().getPrivate(), NOW, Duration.ofSeconds(60));

        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> verifier.verify(forged, NOW))
                    .isInstanceOf(InvalidPrincipalException.class)
                    .hasMessageContaining("signature");
        }
        assertThatThrownBy(() -> verifier.verify(null, NOW)).isInstanceOf(InvalidPrincipalException.class);
    }

    @Test
    void keysRoundTripThroughPem() {
        String pem = Ed25519Keys.toPem(GATEWAY.getPublic());

        assertThat(pem).startsWith("-----BEGIN PUBLIC KEY-----");
        assertThat(Ed25519Keys.publicKey(pem)).isEqualTo(GATEWAY.getPublic());
        assertThat(Ed25519Keys.privateKey(Ed25519Keys.toPem(GATEWAY.getPrivate()))).isEqualTo(GATEWAY.getPrivate());
    }
}
