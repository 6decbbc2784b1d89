package cn.chuanyu.kit.web;

import java.util.List;
import java.util.function.Function;

/**
 * The paging rules of every list endpoint of every service: {@code limit} (1 to {@value #MAX_LIMIT}, default
 * {@value #DEFAULT_LIMIT}) and an opaque {@code cursor} ({@link PageCursor}: the {@code nextCursor} of the previous
 * page, none for the first), answered as {@code {"items": [...], "nextCursor": ...}} ({@link Page}), with
 * {@code nextCursor} null on the last page. Keyset paging: a page starts strictly after the key of the previous
 * page's last item, so rows added or removed meanwhile shift nothing. A bad {@code limit} or {@code cursor} is a
 * 400 problem naming the parameter.
 * <p>
 * The inbox is the one exception: it pages with {@code after}, a position the client keeps between polls.
 */
public final class Paging {

    public static final String LIMIT = "limit";
    public static final String CURSOR = "cursor";
    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;

    public static final String LIMIT_DESCRIPTION = "How many items to return: 1 to " + MAX_LIMIT + ", default "
            + DEFAULT_LIMIT + ".";
    public static final String CURSOR_DESCRIPTION = "The nextCursor of the previous page; omit for the first page. "
            + "Opaque: pass it back as it is. nextCursor is null on the last page.";

    private Paging() {
    }

    /** The limit a client asked for, or the default. */
    public static int limit(Integer requested) {
        if (requested == null) {
            return DEFAULT_LIMIT;
        }
        if (requested < 1 || requested > MAX_LIMIT) {
            throw new InvalidParameterException(LIMIT, "must be between 1 and " + MAX_LIMIT);
        }
        return requested;
    }

    /**
     * The page of rows fetched with {@code limit + 1} (the extra row only tells that more follow).
     *
     * @param cursorOf the cursor ({@link PageCursor#encode}) of a row's sort key
     */
    public static <R, T> Page<T> page(List<R> rows, int limit, Function<R, String> cursorOf, Function<R, T> toItem) {
        boolean more = rows.size() > limit;
        List<R> served = more ? rows.subList(0, limit) : rows;
        String next = more ? cursorOf.apply(served.get(served.size() - 1)) : null;
        return new Page<>(served.stream().map(toItem).toList(), next);
    }

    /** {@link #page(List, int, Function, Function)} for rows that are already the items. */
    public static <T> Page<T> page(List<T> rows, int limit, Function<T, String> cursorOf) {
        return page(rows, limit, cursorOf, Function.identity());
    }
}
