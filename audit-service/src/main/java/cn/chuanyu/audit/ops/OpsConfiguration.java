package cn.chuanyu.audit.ops;

import java.util.ArrayList;
import java.util.List;

import cn.chuanyu.contracts.Messaging;
import cn.chuanyu.kit.consumer.ConsumerQueues;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.Declarable;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.rabbit.config.SimpleRabbitListenerContainerFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The keeper's queues (every consumer's {@code .dlq}, from {@link Messaging#CONSUMER_QUEUES}) and its container:
 * no in-memory retry and no recoverer (a dead letter has nowhere further to go), a failure requeues.
 */
@Configuration(proxyBeanMethods = false)
class OpsConfiguration {

    static final String FACTORY = "deadLetterKeeperContainerFactory";
    static final String DLQ_NAMES = "deadLetterQueueNames";

    /** The consumer queues whose dead letters are kept ({@code chuanyu.ops.consumer-queues}, default all). */
    @Bean
    OpsQueues opsQueues(@Value("${chuanyu.ops.consumer-queues:}") List<String> configured) {
        List<String> queues = configured == null || configured.isEmpty() || configured.stream().allMatch(String::isBlank)
                ? Messaging.CONSUMER_QUEUES : configured.stream().filter(q -> !q.isBlank()).toList();
        return new OpsQueues(queues);
    }

    @Bean(DLQ_NAMES)
    String[] deadLetterQueueNames(OpsQueues queues) {
        return queues.names().stream().map(ConsumerQueues::deadLetterQueueName).toArray(String[]::new);
    }

    /** Declared exactly as the consumers declare them, so the keeper can start before they do. */
    @Bean
    Declarables deadLetterQueues(OpsQueues queues) {
        List<Declarable> all = new ArrayList<>();
        for (String queue : queues.names()) {
            all.addAll(ConsumerQueues.declareDeadLetterQueue(queue).getDeclarables());
        }
        return new Declarables(all);
    }

    @Bean(FACTORY)
    SimpleRabbitListenerContainerFactory deadLetterKeeperContainerFactory(ConnectionFactory connectionFactory,
            @Value("${spring.rabbitmq.listener.simple.auto-startup:true}") boolean autoStartup) {
        SimpleRabbitListenerContainerFactory factory = new SimpleRabbitListenerContainerFactory();
        factory.setConnectionFactory(connectionFactory);
        factory.setAcknowledgeMode(AcknowledgeMode.AUTO);
        factory.setDefaultRequeueRejected(true);
        factory.setPrefetchCount(10);
        factory.setConcurrentConsumers(1);
        factory.setAutoStartup(autoStartup);
        return factory;
    }

    /** @param names the consumer queues (not their {@code .dlq}s) */
    record OpsQueues(List<String> names) {
    }
}
