package cn.chuanyu.kit.consumer;

import cn.chuanyu.contracts.EventEnvelope;
import cn.chuanyu.kit.json.Json;
import org.springframework.amqp.AmqpRejectAndDontRequeueException;
import org.springframework.amqp.core.Message;

/** Reads the event envelope out of a message; a message that is not one can never succeed, so it is rejected. */
public final class EventMessages {

    private EventMessages() {
    }

    public static EventEnvelope read(Message message) {
        try {
            return Json.read(message.getBody());
        }
        catch (RuntimeException ex) {
            throw new AmqpRejectAndDontRequeueException("not an event envelope: " + ex.getMessage(), ex);
        }
    }
}
