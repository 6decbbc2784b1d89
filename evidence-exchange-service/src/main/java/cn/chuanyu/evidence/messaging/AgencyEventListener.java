package cn.chuanyu.evidence.messaging;

import cn.chuanyu.evidence.agency.AgencyDirectory;
import cn.chuanyu.contracts.AgencyRegistered;
import cn.chuanyu.contracts.EventTypes;
import cn.chuanyu.kit.consumer.ConsumerQueues;
import cn.chuanyu.kit.consumer.EventMessages;
import cn.chuanyu.kit.consumer.IdempotentConsumer;
import cn.chuanyu.kit.outbox.EventJson;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Keeps the local agency directory in step with the gateway's registry. */
@Configuration(proxyBeanMethods = false)
class AgencyEventListener {

    static final String QUEUE = "evidence-exchange-service.agencies";

    private final IdempotentConsumer consumer;
    private final AgencyDirectory directory;

    AgencyEventListener(IdempotentConsumer consumer, AgencyDirectory directory) {
        this.consumer = consumer;
        this.directory = directory;
    }

    @Bean
    static Declarables agencyQueue() {
        return ConsumerQueues.declare(QUEUE, "agency.*");
    }

    @RabbitListener(queues = QUEUE)
    void onEvent(Message message) {
        consumer.handleOnce(QUEUE, EventMessages.read(message), event -> {
            if (EventTypes.AGENCY_REGISTERED.equals(event.type())) {
                directory.register(EventJson.fromMap(event.data(), AgencyRegistered.class));
            }
        });
    }
}
