package cn.chuanyu.audit.entry;

import java.util.List;

import cn.chuanyu.audit.log.AuditLog;
import cn.chuanyu.audit.log.IncomingEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Records each event exactly once, whatever the broker redelivers: the log appends only event ids it does not hold
 * yet, under its writer lock, so a redelivered event is skipped.
 */
@Service
public class AuditRecorder {

    private static final Logger log = LoggerFactory.getLogger(AuditRecorder.class);

    private final AuditLog auditLog;

    AuditRecorder(AuditLog auditLog) {
        this.auditLog = auditLog;
    }

    /** Appends the events in order in one transaction; returns how many were new. */
    public int recordAll(List<IncomingEvent> events) {
        int recorded = auditLog.append(events).size();
        if (recorded < events.size()) {
            log.info("{} of {} delivered events were already in the audit trail (redelivery) and were skipped",
                    events.size() - recorded, events.size());
        }
        if (log.isDebugEnabled()) {
            events.forEach(e -> log.debug("audited {} {} for {} ({} #{})", e.event().type(), e.event().id(),
                    e.event().subject(), e.producer(), e.producerSeq()));
        }
        return recorded;
    }
}
