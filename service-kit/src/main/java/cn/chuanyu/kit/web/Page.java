package cn.chuanyu.kit.web;

import java.util.List;

/**
 * One page of a list: {@code nextCursor} is what to pass as {@code cursor} for the next page, null on the last one.
 * See {@link Paging}.
 */
public record Page<T>(List<T> items, String nextCursor) {
}
