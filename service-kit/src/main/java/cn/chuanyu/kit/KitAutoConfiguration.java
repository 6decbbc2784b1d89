package cn.chuanyu.kit;

import java.time.Clock;

import javax.sql.DataSource;

import cn.chuanyu.contracts.Messaging;
import cn.chuanyu.kit.consumer.ConsumerQueues;
import cn.chuanyu.kit.consumer.IdempotentConsumer;
import cn.chuanyu.kit.consumer.MessagingProperties;
import cn.chuanyu.kit.consumer.RetryingRecoverer;
import cn.chuanyu.kit.crypto.CryptoProperties;
import cn.chuanyu.kit.messaging.ConfirmedPublisher;
import cn.chuanyu.kit.node.DeliveryEvidenceNotes;
import cn.chuanyu.kit.node.NodeIdentity;
import cn.chuanyu.kit.node.NodeProperties;
import cn.chuanyu.kit.outbox.OutboxMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.amqp.rabbit.retry.MessageRecoverer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.amqp.autoconfigure.RabbitListenerRetrySettingsCustomizer;
import cn.chuanyu.kit.db.DatabaseBootstrap;
import cn.chuanyu.kit.db.KitSchema;
import cn.chuanyu.kit.outbox.Outbox;
import cn.chuanyu.kit.outbox.OutboxProperties;
import cn.chuanyu.kit.outbox.OutboxRelay;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/** Wires the outbox, its relay, the idempotent consumer and the shared broker topology into every service. */
@AutoConfiguration
@EnableConfigurationProperties({OutboxProperties.class, MessagingProperties.class, NodeProperties.class,
        CryptoProperties.class})
public class KitAutoConfiguration {

    /** The audit trail must hold every event, so every publisher makes sure its queue exists before publishing. */
    public static final String AUDIT_QUEUE = Messaging.AUDIT_QUEUE;

    /** This node: its region, note key and peer (see {@link NodeProperties}). */
    @Bean
    @ConditionalOnMissingBean
    NodeIdentity nodeIdentity(NodeProperties props, CryptoProperties crypto) {
        return new NodeIdentity(props, crypto);
    }

    @Bean
    @ConditionalOnMissingBean
    DeliveryEvidenceNotes deliveryEvidenceNotes(NodeIdentity node) {
        return new DeliveryEvidenceNotes(node);
    }

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    static DatabaseBootstrap databaseBootstrap() {
        return new DatabaseBootstrap();
    }

    @Bean
    KitSchema kitSchema(DataSource dataSource, @Value("${spring.datasource.url:#{null}}") String url,
            @Value("${spring.flyway.user:#{null}}") String migrationUser,
            @Value("${spring.flyway.password:#{null}}") String migrationPassword) {
        return new KitSchema(dataSource, url, migrationUser, migrationPassword);
    }

    /** Fails start-up when the connection factory gives no publisher confirms or returns. */
    @Bean
    ConfirmedPublisher confirmedPublisher(ConnectionFactory connectionFactory) {
        return new ConfirmedPublisher(connectionFactory);
    }

    @Bean
    OutboxRelay outboxRelay(KitSchema schema, JdbcClient jdbc, PlatformTransactionManager txManager,
            ConfirmedPublisher publisher, OutboxProperties props,
            @Value("${spring.application.name}") String producer, ObjectProvider<MeterRegistry> meters) {
        return new OutboxRelay(jdbc, new TransactionTemplate(txManager), publisher, props, producer,
                meters.getIfAvailable(SimpleMeterRegistry::new));
    }

    @Bean
    OutboxMetrics outboxMetrics(KitSchema schema, JdbcClient jdbc) {
        return new OutboxMetrics(jdbc);
    }

    /**
     * Replaces Boot's final step after the in-memory retries (reject, so the queue's dead-letter exchange takes
     * it) with retry queues of increasing delay, then the {@code .dlq} with the failure named in headers.
     */
    @Bean
    @ConditionalOnMissingBean(MessageRecoverer.class)
    RetryingRecoverer retryingRecoverer(ConfirmedPublisher publisher, MessagingProperties props,
            ObjectProvider<MeterRegistry> meters, Clock clock) {
        return new RetryingRecoverer(publisher, props, meters.getIfAvailable(SimpleMeterRegistry::new), clock);
    }

    /** A message that can never be processed is not retried in memory either: straight to the recoverer. */
    @Bean
    RabbitListenerRetrySettingsCustomizer noRetryOfUnprocessableMessages() {
        return settings -> settings.setExceptionPredicate(ex -> !RetryingRecoverer.neverSucceeds(ex));
    }

    @Bean
    Outbox outbox(KitSchema schema, JdbcClient jdbc, Clock clock, OutboxRelay relay,
            @Value("${spring.application.name}") String source) {
        return new Outbox(jdbc, source, clock, relay::wake);
    }

    @Bean
    IdempotentConsumer idempotentConsumer(KitSchema schema, JdbcClient jdbc, PlatformTransactionManager txManager) {
        return new IdempotentConsumer(jdbc, new TransactionTemplate(txManager));
    }

    /**
     * Single active consumer: however many audit-service instances run, one of them appends at a time, in queue
     * order, and another takes over when it goes away. Declared identically by every service (RabbitMQ refuses a
     * re-declaration with other arguments; a queue left from before this setting must be deleted once).
     */
    @Bean
    Declarables auditQueueTopology() {
        return ConsumerQueues.declareSingleActive(AUDIT_QUEUE, Messaging.ALL_EVENTS);
    }
}
