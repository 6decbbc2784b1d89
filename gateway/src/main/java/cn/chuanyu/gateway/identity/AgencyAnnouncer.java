package cn.chuanyu.gateway.identity;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * On every start, after the demo seeding, re-announces the registry's agencies, so a service that came up with an
 * empty directory (new database, queue declared after the first announcement) learns them.
 */
@Component
@Order(Ordered.LOWEST_PRECEDENCE)
class AgencyAnnouncer implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(AgencyAnnouncer.class);

    private final PrincipalRegistry registry;
    private final TransactionTemplate tx;

    AgencyAnnouncer(PrincipalRegistry registry, TransactionTemplate tx) {
        this.registry = registry;
        this.tx = tx;
    }

    @Override
    public void run(ApplicationArguments args) {
        Integer announced = tx.execute(status -> registry.announceAll());
        log.info("announced {} registered agencies to the services", announced);
    }
}
