package cn.chuanyu.kit.agency;

import cn.chuanyu.contracts.AgencyReactivated;
import cn.chuanyu.contracts.AgencyRegistered;
import cn.chuanyu.contracts.AgencySuspended;
import cn.chuanyu.contracts.EventTypes;
import cn.chuanyu.kit.consumer.EventMessages;
import cn.chuanyu.kit.consumer.IdempotentConsumer;
import cn.chuanyu.kit.json.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.annotation.RabbitListener;

/** Keeps the service's agency directory in step with the gateway's registry. */
class AgencyEventListener {

    private static final Logger log = LoggerFactory.getLogger(AgencyEventListener.class);

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
            switch (event.type()) {
                case EventTypes.AGENCY_REGISTERED ->
                        directory.register(Json.fromMap(event.data(), AgencyRegistered.class));
                case EventTypes.AGENCY_SUSPENDED -> {
                    String agency = Json.fromMap(event.data(), AgencySuspended.class).agencyId();
                    boolean changed = directory.changeState(agency, AgencyState.SUSPENDED, event.time());
                    log.info("agency {} suspended{}", agency, changed ? "" : " (unknown here, or older news)");
                }
                case EventTypes.AGENCY_REACTIVATED -> {
                    String agency = Json.fromMap(event.data(), AgencyReactivated.class).agencyId();
                    boolean changed = directory.changeState(agency, AgencyState.ACTIVE, event.time());
                    log.info("agency {} reactivated{}", agency, changed ? "" : " (unknown here, or older news)");
                }
                default -> {
                    // keys and certificates are the gateway's business
                }
            }
        });
    }
}
