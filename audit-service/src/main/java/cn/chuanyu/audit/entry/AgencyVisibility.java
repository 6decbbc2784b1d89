package cn.chuanyu.audit.entry;

import cn.chuanyu.contracts.EventTypes;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Which entries an agency may see: those it sent or received, except that the recipient of an evidence package
 * sees the package's pre-seal entries (its title, each item's name, size and digest) only once the package's
 * {@code evidence.sealed} entry is in the trail: until then the package does not exist for it (404 in the evidence
 * service), and the trail must not describe it either. Auditors and operators see every entry.
 */
@Component
public class AgencyVisibility {

    /**
     * SQL condition on {@code audit_entry e} for the agency bound as {@code :visibleTo}. Evidence events carry the
     * package id as their exchange id and its sender as their from-agency, the sealed event included.
     */
    static final String CONDITION = "(e.from_agency = :visibleTo or (e.to_agency = :visibleTo and (e.type not in ('"
            + EventTypes.EVIDENCE_PACKAGE_CREATED + "', '" + EventTypes.EVIDENCE_ITEM_ADDED + "') or exists ("
            + "select 1 from audit_entry sealed where sealed.exchange_id = e.exchange_id and sealed.type = '"
            + EventTypes.EVIDENCE_SEALED + "' and sealed.from_agency = e.from_agency))))";

    private final JdbcClient jdbc;

    AgencyVisibility(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Whether the agency may see the entry {@code seq} (false when there is none). */
    public boolean sees(String agency, long seq) {
        return jdbc.sql("select exists (select 1 from audit_entry e where e.seq = :seq and " + CONDITION + ")")
                .param("seq", seq)
                .param("visibleTo", agency)
                .query(Boolean.class)
                .single();
    }
}
