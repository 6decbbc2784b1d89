package cn.chuanyu.casetransfer.evidence;

import cn.chuanyu.kit.consumer.ConsumerQueues;
import org.springframework.amqp.core.Declarables;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The queue of {@code evidence.sealed} events, with the kit's retry and dead-letter queues. */
@Configuration(proxyBeanMethods = false)
class SealedPackageConfiguration {

    /** {@code Messaging.CASE_TRANSFER_SEALED_PACKAGES_QUEUE}, spelt out for RabbitDefinitionsTest (it checks both). */
    static final String QUEUE = "case-transfer-service.evidence-sealed";

    @Bean
    Declarables sealedPackageQueue() {
        // Spelt out, not EventTypes.EVIDENCE_SEALED: RabbitDefinitionsTest reads this call against definitions.json.
        return ConsumerQueues.declare(QUEUE, "evidence.sealed");
    }
}
