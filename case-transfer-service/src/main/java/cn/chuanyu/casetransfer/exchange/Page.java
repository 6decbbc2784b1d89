package cn.chuanyu.casetransfer.exchange;

import java.util.List;
import java.util.function.Function;

/** A page of a list; {@code nextCursor} is null on the last page. */
public record Page<T>(List<T> items, String nextCursor) {

    /** Builds a page from a query that fetched one row more than the limit, to know whether more follow. */
    public static <R, T> Page<T> of(List<R> rows, int limit, Function<R, PageCursor> cursorOf,
            Function<R, T> toItem) {
        boolean more = rows.size() > limit;
        List<R> served = more ? rows.subList(0, limit) : rows;
        String next = more ? cursorOf.apply(served.get(served.size() - 1)).encode() : null;
        return new Page<>(served.stream().map(toItem).toList(), next);
    }
}
