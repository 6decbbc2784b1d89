package cn.chuanyu.audit.entry;

import java.util.List;

/** A page of entries; {@code nextCursor} is null on the last page. */
public record AuditEntryPage(List<AuditEntry> items, String nextCursor) {
}
