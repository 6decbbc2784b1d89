package cn.chuanyu.audit.messaging;

import cn.chuanyu.audit.entry.AuditRecorder;
import cn.chuanyu.contracts.Messaging;
import cn.chuanyu.kit.consumer.EventMessages;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.stereotype.Component;

/** Every event on the bus reaches this listener; the container acks only after the recording transaction commits. */
@Component
class AuditEventListener {

    private final AuditRecorder recorder;

    AuditEventListener(AuditRecorder recorder) {
        this.recorder = recorder;
    }

    @RabbitListener(queues = Messaging.AUDIT_QUEUE)
    void onEvent(Message message) {
        recorder.record(EventMessages.read(message));
    }
}
