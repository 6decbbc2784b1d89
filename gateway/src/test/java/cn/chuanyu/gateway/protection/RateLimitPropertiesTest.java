package cn.chuanyu.gateway.protection;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RateLimitPropertiesTest {

    @Test
    void overridesApplyToTheirPrincipalOnly() {
        RateLimitProperties properties = new RateLimitProperties(null, null, null,
                Map.of("busy-court", new RateLimitProperties.Limit(50, 100, null)), null);
        assertThat(properties.limitOf("busy-court").replenishRate()).isEqualTo(50);
        assertThat(properties.limitOf("other").replenishRate()).isEqualTo(100);
        assertThat(properties.enabled()).isTrue();
    }

    @Test
    void retryAfterCoversTheTokensStillMissing() {
        RateLimitProperties.Limit perSecond = new RateLimitProperties.Limit(10, 20, 1);
        assertThat(perSecond.secondsUntilAllowed(0)).isEqualTo(1);
        RateLimitProperties.Limit everyFourSeconds = new RateLimitProperties.Limit(1, 4, 4);
        assertThat(everyFourSeconds.secondsUntilAllowed(0)).isEqualTo(4);
        assertThat(everyFourSeconds.secondsUntilAllowed(3)).isEqualTo(1);
        assertThat(everyFourSeconds.describe()).isEqualTo("1 request every 4 s, bursts of 1");
        assertThat(perSecond.describe()).isEqualTo("10 requests per second, bursts of 20");
    }

    @Test
    void nonsenseLimitsAreRefusedAtStartUp() {
        assertThatIllegalArgumentException().isThrownBy(() -> new RateLimitProperties.Limit(0, 10, 1));
        assertThatIllegalArgumentException().isThrownBy(() -> new RateLimitProperties.Limit(5, 2, 1));
        assertThatIllegalArgumentException().isThrownBy(() -> new RateLimitProperties.Limit(1, 2, 4));
    }
}
