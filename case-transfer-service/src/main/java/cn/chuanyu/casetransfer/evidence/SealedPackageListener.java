package cn.chuanyu.casetransfer.evidence;

import java.util.UUID;

import cn.chuanyu.contracts.EventEnvelope;
import cn.chuanyu.contracts.EventTypes;
import cn.chuanyu.kit.consumer.EventMessages;
import cn.chuanyu.kit.consumer.IdempotentConsumer;
import org.springframework.amqp.AmqpRejectAndDontRequeueException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.stereotype.Component;

/**
 * Learns sealed packages from {@code evidence.sealed}. The package and its parties travel in the envelope
 * (subject = package id, fromAgency = sender, toAgency = recipient), time is the seal's.
 */
@Component
class SealedPackageListener {

    private final IdempotentConsumer consumer;
    private final SealedPackages packages;

    SealedPackageListener(IdempotentConsumer consumer, SealedPackages packages) {
        this.consumer = consumer;
        this.packages = packages;
    }

    @RabbitListener(queues = SealedPackageConfiguration.QUEUE)
    void onEvent(Message message) {
        consumer.handleOnce(SealedPackageConfiguration.QUEUE, EventMessages.read(message), event -> {
            if (EventTypes.EVIDENCE_SEALED.equals(event.type())) {
                packages.record(packageId(event), party(event.fromAgency(), event), party(event.toAgency(), event),
                        event.time());
            }
        });
    }

    // A seal without its package or parties can never be recorded: straight to the dead letters.
    private static UUID packageId(EventEnvelope event) {
        try {
            return UUID.fromString(event.subject());
        }
        catch (IllegalArgumentException ex) {
            throw new AmqpRejectAndDontRequeueException("evidence.sealed " + event.id() + ": subject "
                    + event.subject() + " is not a package id");
        }
    }

    private static String party(String agency, EventEnvelope event) {
        if (agency == null || agency.isBlank()) {
            throw new AmqpRejectAndDontRequeueException("evidence.sealed " + event.id() + " lacks its parties");
        }
        return agency;
    }
}
