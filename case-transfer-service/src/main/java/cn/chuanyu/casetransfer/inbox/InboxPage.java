package cn.chuanyu.casetransfer.inbox;

import java.util.List;

/** A slice of the inbox. {@code nextCursor} is always set: store it and pass it as {@code after} next time. */
record InboxPage(List<InboxItem> items, String nextCursor) {
}
