package cn.chuanyu.kit.web;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PagingTest {

    @Test
    void aCursorCarriesItsKeyToTheMicrosecond() {
        Instant time = Instant.parse("2026-11-26T07:36:12.123456789Z");
        UUID id = UUID.randomUUID();
        PageCursor cursor = PageCursor.decode(PageCursor.encode(time, id), 2);
        assertThat(cursor.instant(0)).isEqualTo(Instant.parse("2026-11-26T07:36:12.123456Z"));
        assertThat(cursor.uuid(1)).isEqualTo(id);
        assertThat(PageCursor.decode(PageCursor.encode(Instant.parse("1969-12-31T23:59:59.5Z"), id), 2).instant(0))
                .isEqualTo(Instant.parse("1969-12-31T23:59:59.5Z"));
        assertThat(PageCursor.decode(PageCursor.encode(42L), 1).position(0)).isEqualTo(42);
        assertThat(PageCursor.decode(PageCursor.encode("cq-court"), 1).text(0)).isEqualTo("cq-court");
    }

    @Test
    void noCursorIsTheFirstPage() {
        assertThat(PageCursor.decode(null, 2)).isNull();
        assertThat(PageCursor.decode("", 1)).isNull();
    }

    @Test
    void aCursorThisApiDidNotIssueIsABadParameterNamedCursor() {
        String ofAnotherList = PageCursor.encode(Instant.now(), UUID.randomUUID());
        for (String bad : List.of("%%%", "AAAA", "30", "abc", "-5", ofAnotherList)) {
            assertThatThrownBy(() -> PageCursor.decode(bad, 1).position(0)).as(bad)
                    .isInstanceOfSatisfying(InvalidParameterException.class,
                            ex -> assertThat(ex.parameter()).isEqualTo("cursor"));
        }
        assertThatThrownBy(() -> PageCursor.decode(PageCursor.encode(-3L), 1).position(0))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> PageCursor.decode(PageCursor.encode("x", "y"), 2).uuid(1))
                .isInstanceOf(InvalidParameterException.class);
    }

    @Test
    void limitsHaveOneDefaultAndOneRange() {
        assertThat(Paging.limit(null)).isEqualTo(Paging.DEFAULT_LIMIT);
        assertThat(Paging.limit(1)).isEqualTo(1);
        assertThat(Paging.limit(Paging.MAX_LIMIT)).isEqualTo(Paging.MAX_LIMIT);
        for (int bad : new int[] {0, -1, Paging.MAX_LIMIT + 1}) {
            assertThatThrownBy(() -> Paging.limit(bad)).isInstanceOfSatisfying(InvalidParameterException.class,
                    ex -> assertThat(ex.parameter()).isEqualTo("limit"));
        }
    }

    @Test
    void aPageKnowsFromTheExtraRowWhetherMoreFollow() {
        Page<Integer> first = Paging.page(List.of(1, 2, 3), 2, n -> PageCursor.encode((long) n));
        assertThat(first.items()).containsExactly(1, 2);
        assertThat(PageCursor.decode(first.nextCursor(), 1).position(0)).isEqualTo(2);

        Page<Integer> last = Paging.page(List.of(3), 2, n -> PageCursor.encode((long) n));
        assertThat(last.items()).containsExactly(3);
        assertThat(last.nextCursor()).isNull();
        assertThat(Paging.page(List.<Integer>of(), 2, n -> "x").nextCursor()).isNull();
    }
}
