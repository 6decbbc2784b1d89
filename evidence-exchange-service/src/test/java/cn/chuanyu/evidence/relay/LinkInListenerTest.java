package cn.chuanyu.evidence.relay;

import java.time.Clock;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The link user has no default name: a two-region node without one does not start (as case-transfer's). */
class LinkInListenerTest {

    @Test
    void theLinkUserHasNoDefaultAndTheListenerRefusesToStartWithoutOne() {
        assertThat(new LinkProperties(null, null, null, 0, null, null, null, null, null).user()).isEmpty();
        assertThat(new LinkProperties("  ", null, null, 0, null, null, null, null, null).user()).isEmpty();
        for (String blank : new String[] {null, "", " "}) {
            assertThatThrownBy(() -> new LinkInListener(null, null, null, blank, "evidence", Clock.systemUTC()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("CHUANYU_LINK_USER");
        }
    }
}
