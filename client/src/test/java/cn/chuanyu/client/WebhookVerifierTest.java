package cn.chuanyu.client;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WebhookVerifierTest {

    static final byte[] BODY = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
    /** Computed independently: printf '1700000000.{"a":1}' | openssl dgst -sha256 -hmac whsec_test */
    static final String HEADER = "t=1700000000,v1=38877139021993b830af32feea6e18a8da83eb2f6e49ee50bd9e4cf4ca4d3789";

    static WebhookVerifier at(long epochSecond) {
        return new WebhookVerifier("whsec_test", Duration.ofMinutes(5),
                Clock.fixed(Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC));
    }

    @Test
    void acceptsTheSchemeTheCaseTransferServiceSigns() {
        assertThatCode(() -> at(1_700_000_100).verify(HEADER, BODY)).doesNotThrowAnyException();
    }

    @Test
    void refusesAnotherSecretOrAnAlteredBody() {
        WebhookVerifier verifier = at(1_700_000_000);
        assertThatThrownBy(() -> verifier.verify(HEADER, "{\"a\":2}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(WebhookVerifier.Rejected.class).hasMessageContaining("does not match");
        assertThatThrownBy(() -> new WebhookVerifier("other", Duration.ofMinutes(5),
                Clock.fixed(Instant.ofEpochSecond(1_700_000_000), ZoneOffset.UTC)).verify(HEADER, BODY))
                .isInstanceOf(WebhookVerifier.Rejected.class);
    }

    @Test
    void refusesTimestampsOutsideTheSkewWindowEitherWay() {
        assertThatThrownBy(() -> at(1_700_000_301).verify(HEADER, BODY))
                .isInstanceOf(WebhookVerifier.Rejected.class).hasMessageContaining("outside the window");
        assertThatThrownBy(() -> at(1_699_999_699).verify(HEADER, BODY))
                .isInstanceOf(WebhookVerifier.Rejected.class).hasMessageContaining("outside the window");
        assertThatCode(() -> at(1_700_000_300).verify(HEADER, BODY)).doesNotThrowAnyException();
    }

    @Test
    void refusesAReplayWithinTheWindow() throws Exception {
        WebhookVerifier verifier = at(1_700_000_010);
        verifier.verify(HEADER, BODY);
        assertThatThrownBy(() -> verifier.verify(HEADER, BODY))
                .isInstanceOf(WebhookVerifier.Rejected.class).hasMessageContaining("replay");
        // a new delivery of the same body (the platform's retry) carries a new timestamp and passes
        verifier.verify(verifier.sign(1_700_000_011, BODY), BODY);
    }

    @Test
    void refusesMalformedHeaders() {
        WebhookVerifier verifier = at(1_700_000_000);
        for (String bad : new String[] {null, "", "v1=abc", "t=1700000000", "t=x,v1=ab", "t=1700000000,v1=zz"}) {
            assertThatThrownBy(() -> verifier.verify(bad, BODY)).isInstanceOf(WebhookVerifier.Rejected.class);
        }
    }
}
