package cn.chuanyu.casetransfer.exchange;

import java.util.Set;

import cn.chuanyu.kit.domain.StaleVersionException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatNoException;

class ETagsTest {

    @Test
    void noIfMatchOrAStarAcceptsAnyVersion() {
        assertThat(ETags.expectedVersion(null)).isEqualTo(ExpectedVersion.ANY);
        assertThat(ETags.expectedVersion(" ")).isEqualTo(ExpectedVersion.ANY);
        assertThat(ETags.expectedVersion("*")).isEqualTo(ExpectedVersion.ANY);
    }

    @Test
    void ifMatchNamesVersionsStrongOrWeakAndForeignTagsMatchNothing() {
        assertThat(ETags.expectedVersion("\"3\", W/\"5\"")).isEqualTo(ExpectedVersion.oneOf(Set.of(3, 5)));
        assertThat(ETags.expectedVersion("\"abc\", \"03\", 3")).isEqualTo(ExpectedVersion.oneOf(Set.of()));
        assertThatThrownBy(() -> ETags.expectedVersion("\"abc\"").check(0)).isInstanceOf(StaleVersionException.class);
        assertThatNoException().isThrownBy(() -> ETags.expectedVersion(ETags.etag(7)).check(7));
    }
}
