package cn.chuanyu.audit.entry;

import java.util.List;

import cn.chuanyu.audit.log.AuditLog;
import cn.chuanyu.audit.log.IncomingEvent;
import cn.chuanyu.contracts.EventEnvelope;
import cn.chuanyu.kit.consumer.IdempotentConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/** Records each event exactly once, whatever the broker redelivers, as the next leaf of the log. */
@Service
public class AuditRecorder {

    static final String CONSUMER = "audit-recorder";

    private static final Logger log = LoggerFactory.getLogger(AuditRecorder.class);

    private final IdempotentConsumer consumer;
    private final AuditLog auditLog;

    AuditRecorder(IdempotentConsumer consumer, AuditLog auditLog) {
        this.consumer = consumer;
        this.auditLog = auditLog;
    }

    /**
     * @param producer    the producer that numbered the event, or null
     * @param producerSeq its number, or null
     */
    public void record(EventEnvelope event, String producer, Long producerSeq) {
        boolean recorded = consumer.handleOnce(CONSUMER, event,
                e -> auditLog.append(List.of(new IncomingEvent(e, producer, producerSeq))));
        if (recorded) {
            log.debug("audited {} {} for {} ({} #{})", event.type(), event.id(), event.subject(), producer,
                    producerSeq);
        }
        else {
            log.info("duplicate delivery of event {} ({}) ignored", event.id(), event.type());
        }
    }
}
