package cn.chuanyu.audit.link;

import java.time.Clock;

import cn.chuanyu.kit.node.NodeIdentity;
import cn.chuanyu.kit.outbox.Outbox;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

@Configuration(proxyBeanMethods = false)
class LinkConfiguration {

    @Bean
    RabbitManagement rabbitManagement(LinkOpsProperties props, JsonMapper json) {
        return new RabbitManagement(props, json);
    }

    @Bean
    LinkMonitor linkMonitor(NodeIdentity node, RabbitManagement broker, LinkOpsProperties props, Outbox outbox,
            TransactionTemplate tx, JsonMapper json, Clock clock, MeterRegistry meters) {
        return new LinkMonitor(node, broker, props, outbox, tx, json, clock, meters);
    }
}
