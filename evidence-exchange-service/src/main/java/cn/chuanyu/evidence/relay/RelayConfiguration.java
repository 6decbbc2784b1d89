package cn.chuanyu.evidence.relay;

import java.time.Clock;

import cn.chuanyu.contracts.Messaging;
import cn.chuanyu.evidence.custody.CustodyLog;
import cn.chuanyu.evidence.evidencepackage.PackageService;
import cn.chuanyu.evidence.storage.EvidenceStore;
import cn.chuanyu.kit.consumer.ConsumerQueues;
import cn.chuanyu.kit.consumer.IdempotentConsumer;
import cn.chuanyu.kit.messaging.ConfirmedPublisher;
import cn.chuanyu.kit.node.DeliveryEvidenceNotes;
import cn.chuanyu.kit.node.NodeIdentity;
import org.springframework.amqp.core.Declarables;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Two-region wiring. The path filter exists on every node (nothing under /link/ on the normal port); everything
 * else only when {@code chuanyu.node.region} is set, so one node runs exactly as before.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({LinkProperties.class, LinkProperties.Tls.class})
class RelayConfiguration {

    /** Set when this node is one of two (chuanyu.node.region names its region). */
    static final String TWO_REGIONS = "!'${chuanyu.node.region:}'.isBlank()";

    @Bean
    FilterRegistrationBean<LinkPathFilter> linkPathFilter(ObjectProvider<LinkTls> tls) {
        var registration = new FilterRegistrationBean<>(new LinkPathFilter(tls.getIfAvailable()));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnExpression(TWO_REGIONS)
    static class TwoRegions {

        @Bean
        LinkTls linkTls(LinkProperties.Tls tls) {
            return LinkTls.load(tls);
        }

        @Bean
        @ConditionalOnExpression("${chuanyu.node.tls.port:0} > 0")
        LinkConnector linkConnector(LinkProperties.Tls tls, LinkTls material) {
            return new LinkConnector(tls, material);
        }

        /** The link-in queue (kit retry and dead-letter queues beside it), bound to the link-in exchange. */
        @Bean
        Declarables linkInQueue() {
            return ConsumerQueues.declareLinkIn(Messaging.EVIDENCE_LINK_QUEUE, "evidence.#");
        }

        @Bean
        RelayService relayService(PackageService packages, RelayRepository relay, CustodyLog custody,
                DeliveryEvidenceNotes notes, NodeIdentity node, Clock clock, ObjectProvider<ContentFetcher> fetcher) {
            return new RelayService(packages, relay, custody, notes, node, clock,
                    () -> fetcher.getObject().wake());
        }

        @Bean
        ContentFetcher contentFetcher(RelayRepository relay, RelayService service, EvidenceStore store,
                CustodyLog custody, TransactionTemplate tx, LinkProperties props, LinkTls tls,
                NodeIdentity node, Clock clock) {
            String url = node.properties().peer().contentUrl();
            if (url.isBlank()) {
                throw new IllegalStateException("two-region mode needs chuanyu.node.peer.content-url "
                        + "(CHUANYU_PEER_CONTENT_URL)");
            }
            return new ContentFetcher(relay, service, store, custody, tx, props, tls, url, clock);
        }

        @Bean
        RelayDeadlines relayDeadlines(RelayService service, TransactionTemplate tx, LinkProperties props) {
            return new RelayDeadlines(service, tx, props);
        }

        @Bean
        LinkInListener linkInListener(RelayService relay, RelayRepository repository, IdempotentConsumer once,
                LinkProperties props, ConfirmedPublisher publisher, Clock clock) {
            return new LinkInListener(relay, repository, once, props.user(), publisher.user(), clock);
        }
    }
}
