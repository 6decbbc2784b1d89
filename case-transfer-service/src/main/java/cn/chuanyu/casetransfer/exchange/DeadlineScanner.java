package cn.chuanyu.casetransfer.exchange;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Looks for exchanges past their deadline and raises each one's overdue event once. Rows are claimed with
 * {@code SKIP LOCKED}, so instances never raise the same one twice.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class DeadlineScanner {

    private static final Logger log = LoggerFactory.getLogger(DeadlineScanner.class);
    private static final int BATCH = 200;

    private final List<OverdueSource> sources;

    DeadlineScanner(List<OverdueSource> sources) {
        this.sources = sources;
    }

    @Scheduled(fixedDelayString = "${chuanyu.deadlines.scan-interval:30s}", initialDelayString = "5s")
    void scan() {
        for (OverdueSource source : sources) {
            try {
                int raised;
                do {
                    raised = source.raiseOverdue(BATCH);
                    if (raised > 0) {
                        log.info("raised {} overdue events", raised);
                    }
                }
                while (raised == BATCH);
            }
            catch (RuntimeException ex) {
                log.warn("deadline scan failed: {}", ex.getMessage());
            }
        }
    }
}
