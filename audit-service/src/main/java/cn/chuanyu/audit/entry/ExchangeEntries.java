package cn.chuanyu.audit.entry;

import java.util.List;

import org.springframework.stereotype.Component;

/** One exchange's entries for other features (the proof bundle), with the same visibility as the trail's views. */
@Component
public class ExchangeEntries {

    private final AuditEntryRepository entries;

    ExchangeEntries(AuditEntryRepository entries) {
        this.entries = entries;
    }

    /**
     * The exchange's entries in seq order, at most {@code limit}; with {@code visibleTo} set, only those that agency
     * may see ({@link AgencyVisibility}: its own exchanges, a package's pre-seal entries only once it is sealed).
     */
    public List<AuditEntry> of(String exchangeId, String visibleTo, int limit) {
        return entries.ofExchange(exchangeId, visibleTo, limit);
    }
}
