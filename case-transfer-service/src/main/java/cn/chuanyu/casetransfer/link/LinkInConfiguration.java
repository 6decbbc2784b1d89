package cn.chuanyu.casetransfer.link;

import cn.chuanyu.contracts.Messaging;
import cn.chuanyu.kit.consumer.ConsumerQueues;
import org.springframework.amqp.core.Declarables;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The queue of the peer node's transfer and assistance events, with the kit's retry and dead-letter queues; only on
 * a node of a two-region platform (one node has no link).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression(LinkInConfiguration.TWO_REGIONS)
class LinkInConfiguration {

    /** True when this node is one of two ({@code chuanyu.node.region} set). */
    static final String TWO_REGIONS = "'${chuanyu.node.region:}' != ''";

    @Bean
    Declarables linkInQueue() {
        return ConsumerQueues.declareLinkIn(Messaging.CASE_TRANSFER_LINK_QUEUE, "case-transfer.#", "assistance.#");
    }
}
