package cn.chuanyu.kit.agency;

import cn.chuanyu.kit.KitAutoConfiguration;
import cn.chuanyu.kit.consumer.ConsumerQueues;
import cn.chuanyu.kit.consumer.IdempotentConsumer;
import org.springframework.amqp.core.Declarables;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A service that names its agency queue ({@code chuanyu.agencies.queue}, e.g. {@code case-transfer-service.agencies})
 * gets an {@link AgencyDirectory} and a listener on that queue, bound to every {@code agency.*} event.
 */
@AutoConfiguration(after = KitAutoConfiguration.class)
@ConditionalOnProperty(AgencyDirectoryAutoConfiguration.QUEUE_PROPERTY)
public class AgencyDirectoryAutoConfiguration {

    static final String QUEUE_PROPERTY = "chuanyu.agencies.queue";

    @Bean
    AgencyDirectory agencyDirectory(JdbcClient jdbc) {
        return new AgencyDirectory(jdbc);
    }

    @Bean
    Declarables agencyQueue(@Value("${" + QUEUE_PROPERTY + "}") String queue) {
        return ConsumerQueues.declare(queue, "agency.*");
    }

    @Bean
    AgencyEventListener agencyEventListener(IdempotentConsumer consumer, AgencyDirectory directory,
            @Value("${" + QUEUE_PROPERTY + "}") String queue) {
        return new AgencyEventListener(consumer, directory, queue);
    }
}
