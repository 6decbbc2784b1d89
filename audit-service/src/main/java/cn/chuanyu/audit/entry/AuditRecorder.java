package cn.chuanyu.audit.entry;

import cn.chuanyu.contracts.EventEnvelope;
import cn.chuanyu.kit.consumer.IdempotentConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/** Records each event exactly once, whatever the broker redelivers. */
@Service
public class AuditRecorder {

    static final String CONSUMER = "audit-recorder";

    private static final Logger log = LoggerFactory.getLogger(AuditRecorder.class);

    private final IdempotentConsumer consumer;
    private final AuditEntryRepository entries;

    AuditRecorder(IdempotentConsumer consumer, AuditEntryRepository entries) {
        this.consumer = consumer;
        this.entries = entries;
    }

    public void record(EventEnvelope event) {
        boolean recorded = consumer.handleOnce(CONSUMER, event, entries::append);
        if (recorded) {
            log.debug("audited {} {} for {}", event.type(), event.id(), event.subject());
        }
        else {
            log.info("duplicate delivery of event {} ({}) ignored", event.id(), event.type());
        }
    }
}
