package cn.chuanyu.audit.messaging;

import cn.chuanyu.audit.entry.AuditRecorder;
import cn.chuanyu.contracts.Messaging;
import cn.chuanyu.kit.consumer.EventMessages;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.stereotype.Component;

/**
 * Every event on the bus reaches this listener; the container acks only after the recording transaction commits.
 * The audit queue has a single active consumer and this listener takes one message at a time, so the log is
 * appended in queue order by one instance; another takes over when it goes away.
 */
@Component
class AuditEventListener {

    private final AuditRecorder recorder;

    AuditEventListener(AuditRecorder recorder) {
        this.recorder = recorder;
    }

    @RabbitListener(queues = Messaging.AUDIT_QUEUE, containerFactory = AuditListenerConfiguration.FACTORY,
            concurrency = "1")
    void onEvent(Message message) {
        MessageProperties properties = message.getMessageProperties();
        Object producer = properties.getHeader(Messaging.HEADER_PRODUCER);
        recorder.record(EventMessages.read(message), producer instanceof String s && !s.isBlank() ? s : null,
                number(properties.getHeader(Messaging.HEADER_PRODUCER_SEQ)));
    }

    /** The producer's number, if the header holds a positive whole number (AMQP may carry it as any integer type). */
    static Long number(Object header) {
        if (header instanceof Number n) {
            long value = n.longValue();
            return value > 0 ? value : null;
        }
        if (header != null) {
            try {
                long value = Long.parseLong(header.toString());
                return value > 0 ? value : null;
            }
            catch (NumberFormatException ex) {
                return null;
            }
        }
        return null;
    }
}
