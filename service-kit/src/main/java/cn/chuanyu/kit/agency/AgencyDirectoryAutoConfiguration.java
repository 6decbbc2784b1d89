package cn.chuanyu.kit.agency;

import java.util.ArrayList;
import java.util.List;

import cn.chuanyu.contracts.Messaging;
import cn.chuanyu.kit.KitAutoConfiguration;
import cn.chuanyu.kit.consumer.ConsumerQueues;
import cn.chuanyu.kit.consumer.IdempotentConsumer;
import cn.chuanyu.kit.messaging.ConfirmedPublisher;
import cn.chuanyu.kit.node.NodeIdentity;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.Declarable;
import org.springframework.amqp.core.Declarables;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A service that names its agency queue ({@code chuanyu.agencies.queue}, e.g. {@code case-transfer-service.agencies})
 * gets an {@link AgencyDirectory} and a listener on that queue, bound to every {@code agency.*} event. In two-region
 * mode the queue is also bound to {@link Messaging#LINK_IN_EXCHANGE} (where the peer node's registry events arrive);
 * that exchange belongs to the launch recipe, which declares it before the services start (services may read it,
 * not declare it). {@code chuanyu.link.user} names the broker user the peer's Shovel publishes as.
 */
@AutoConfiguration(after = KitAutoConfiguration.class)
@ConditionalOnProperty(AgencyDirectoryAutoConfiguration.QUEUE_PROPERTY)
public class AgencyDirectoryAutoConfiguration {

    static final String QUEUE_PROPERTY = "chuanyu.agencies.queue";

    static final String LINK_USER_PROPERTY = "chuanyu.link.user";

    static final String AGENCY_EVENTS = "agency.*";

    @Bean
    AgencyDirectory agencyDirectory(JdbcClient jdbc) {
        return new AgencyDirectory(jdbc);
    }

    @Bean
    Declarables agencyQueue(@Value("${" + QUEUE_PROPERTY + "}") String queue, NodeIdentity node) {
        List<Declarable> all = new ArrayList<>(ConsumerQueues.declare(queue, AGENCY_EVENTS).getDeclarables());
        if (node.twoRegions()) {
            all.add(new Binding(queue, Binding.DestinationType.QUEUE, Messaging.LINK_IN_EXCHANGE, AGENCY_EVENTS,
                    null));
        }
        return new Declarables(all);
    }

    @Bean
    AgencyEventListener agencyEventListener(IdempotentConsumer consumer, AgencyDirectory directory,
            @Value("${" + QUEUE_PROPERTY + "}") String queue, NodeIdentity node,
            @Value("${" + LINK_USER_PROPERTY + ":}") String linkUser, ConfirmedPublisher publisher) {
        return new AgencyEventListener(consumer, directory, queue, node, linkUser, publisher.user());
    }
}
