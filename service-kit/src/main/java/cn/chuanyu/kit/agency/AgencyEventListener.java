package cn.chuanyu.kit.agency;

import cn.chuanyu.contracts.AgencyRegistered;
import cn.chuanyu.contracts.EventTypes;
import cn.chuanyu.kit.consumer.EventMessages;
import cn.chuanyu.kit.consumer.IdempotentConsumer;
import cn.chuanyu.kit.json.Json;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.annotation.RabbitListener;

/** Keeps the service's agency directory in step with the gateway's registry. */
class AgencyEventListener {

    private final IdempotentConsumer consumer;
    private final AgencyDirectory directory;
    private final String queue;

    AgencyEventListener(IdempotentConsumer consumer, AgencyDirectory directory, String queue) {
        this.consumer = consumer;
        this.directory = directory;
        this.queue = queue;
    }

    @RabbitListener(queues = "${" + AgencyDirectoryAutoConfiguration.QUEUE_PROPERTY + "}")
    void onEvent(Message message) {
        consumer.handleOnce(queue, EventMessages.read(message), event -> {
            if (EventTypes.AGENCY_REGISTERED.equals(event.type())) {
                directory.register(Json.fromMap(event.data(), AgencyRegistered.class));
            }
        });
    }
}
