/**
 * The agency feed: every event addressed to an agency, in one gap-free order it can resume from. Entries are
 * written in the transaction of the change (not consumed from the bus), under a transaction-scoped advisory lock so
 * that sequence order is commit order: a reader that saw entry N never later finds an entry below N appear.
 */
package cn.chuanyu.casetransfer.inbox;
