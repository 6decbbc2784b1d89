package cn.chuanyu.audit.messaging;

import java.time.Duration;

import org.springframework.amqp.rabbit.config.SimpleRabbitListenerContainerFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.amqp.autoconfigure.SimpleRabbitListenerContainerFactoryConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The audit listener's container: one consumer handed batches of up to {@code chuanyu.audit.batch-size} events,
 * each appended to the log in one transaction (one commit, one walk up the tree per batch instead of per event).
 * A batch is handed over when full or {@code chuanyu.audit.batch-wait} after its first message, so a quiet trail
 * still records at once. The listener retries and dead-letters by itself ({@link AuditEventListener}), so the
 * container gets no retry advice; if the listener throws, the whole batch is requeued and nothing is lost.
 */
@Configuration(proxyBeanMethods = false)
class AuditListenerConfiguration {

    static final String FACTORY = "auditListenerContainerFactory";

    @Bean(FACTORY)
    SimpleRabbitListenerContainerFactory auditListenerContainerFactory(
            SimpleRabbitListenerContainerFactoryConfigurer configurer, ConnectionFactory connectionFactory,
            @Value("${chuanyu.audit.batch-size:500}") int batchSize,
            @Value("${chuanyu.audit.batch-wait:20ms}") Duration batchWait) {
        SimpleRabbitListenerContainerFactory factory = new SimpleRabbitListenerContainerFactory();
        configurer.configure(factory, connectionFactory);
        factory.setAdviceChain();
        factory.setConcurrentConsumers(1);
        factory.setMaxConcurrentConsumers(1);
        factory.setBatchListener(true);
        factory.setConsumerBatchEnabled(true);
        factory.setBatchSize(batchSize);
        factory.setPrefetchCount(batchSize * 2);
        factory.setBatchReceiveTimeout(batchWait.toMillis());
        factory.setReceiveTimeout(batchWait.toMillis());
        factory.setDefaultRequeueRejected(true);
        return factory;
    }
}
