package cn.chuanyu.client;

import java.util.List;

/** One page of a list: pass {@code nextCursor} to get the next; null on the last page. */
public record Page<T>(List<T> items, String nextCursor) {
}
