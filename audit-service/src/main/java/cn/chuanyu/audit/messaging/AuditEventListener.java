package cn.chuanyu.audit.messaging;

import java.util.ArrayList;
import java.util.List;

import cn.chuanyu.audit.entry.AuditRecorder;
import cn.chuanyu.audit.log.IncomingEvent;
import cn.chuanyu.contracts.Messaging;
import cn.chuanyu.kit.consumer.EventMessages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpRejectAndDontRequeueException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.amqp.rabbit.retry.MessageRecoverer;
import org.springframework.boot.amqp.autoconfigure.RabbitProperties;
import org.springframework.stereotype.Component;

/**
 * Every event on the bus reaches this listener, in batches; the container acks a batch only after the listener
 * returned, i.e. after the batch's append committed or each of its messages was handed to the recoverer (which
 * waits for the broker's confirm). The audit queue has a single active consumer, so the log is appended in queue
 * order by one instance; another takes over when it goes away.
 * <p>
 * A batch that cannot be appended is retried with back-off (the database may be restarting); if it still fails,
 * its events are appended one by one, so one event that can never be stored does not hold back the others, and
 * those that fail go round the queue's retry queues to its dead-letter queue like any consumer's.
 */
@Component
class AuditEventListener {

    private static final Logger log = LoggerFactory.getLogger(AuditEventListener.class);

    private final AuditRecorder recorder;
    private final MessageRecoverer recoverer;
    private final RabbitProperties.ListenerRetry retry;
    private final TrustedPublishers publishers;

    /** The back-off of {@code spring.rabbitmq.listener.simple.retry}, which other consumers get from their container. */
    AuditEventListener(AuditRecorder recorder, MessageRecoverer recoverer, RabbitProperties rabbit,
            TrustedPublishers publishers) {
        this.recorder = recorder;
        this.recoverer = recoverer;
        this.publishers = publishers;
        this.retry = rabbit.getListener().getSimple().getRetry();
    }

    @RabbitListener(queues = Messaging.AUDIT_QUEUE, containerFactory = AuditListenerConfiguration.FACTORY,
            concurrency = "1")
    void onEvents(List<Message> messages) throws InterruptedException {
        List<Message> readable = new ArrayList<>(messages.size());
        List<IncomingEvent> events = new ArrayList<>(messages.size());
        for (Message message : messages) {
            try {
                events.add(incoming(message, publishers));
                readable.add(message);
            }
            catch (AmqpRejectAndDontRequeueException ex) {
                // can never be read, or no verified publisher vouches for it: straight to the dead-letter queue
                recoverer.recover(message, ex);
            }
        }
        if (events.isEmpty()) {
            return;
        }
        RuntimeException failure = null;
        long attempts = retry.getMaxRetries() + 1;
        double wait = retry.getInitialInterval().toMillis();
        for (long attempt = 1; attempt <= attempts; attempt++) {
            try {
                recorder.recordAll(events);
                return;
            }
            catch (RuntimeException ex) {
                failure = ex;
                if (attempt < attempts) {
                    long millis = (long) Math.min(wait, retry.getMaxInterval().toMillis());
                    log.warn("could not append a batch of {} audit events (attempt {} of {}), retrying in {} ms: {}",
                            events.size(), attempt, attempts, millis, ex.toString());
                    Thread.sleep(millis);
                    wait *= retry.getMultiplier();
                }
            }
        }
        log.warn("appending {} audit events one by one after the batch failed: {}", events.size(), failure.toString());
        for (int i = 0; i < events.size(); i++) {
            try {
                recorder.recordAll(List.of(events.get(i)));
            }
            catch (RuntimeException ex) {
                recoverer.recover(readable.get(i), ex);
            }
        }
    }

    /** The event, its producer as the broker user that sent it vouches for ({@link TrustedPublishers}). */
    static IncomingEvent incoming(Message message, TrustedPublishers publishers) {
        MessageProperties properties = message.getMessageProperties();
        String producer = publishers.producerOf(properties);
        return new IncomingEvent(EventMessages.read(message), producer,
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
