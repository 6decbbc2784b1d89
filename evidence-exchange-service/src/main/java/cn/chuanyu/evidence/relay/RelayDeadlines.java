package cn.chuanyu.evidence.relay;

import java.time.Duration;

import cn.chuanyu.kit.poll.BackgroundPoller;
import cn.chuanyu.kit.poll.PollingLifecycle;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Looks at the packages' delivery deadlines every {@code chuanyu.link.deadline-scan} (two regions only): RELAY_FAILED
 * at the origin, NON_DELIVERY at the destination ({@link RelayService#raiseOverdue}). A batch per transaction; a
 * full one is followed by the next at once.
 */
class RelayDeadlines extends PollingLifecycle {

    static final int BATCH = 100;

    private final RelayService service;
    private final TransactionTemplate tx;
    private final LinkProperties props;

    RelayDeadlines(RelayService service, TransactionTemplate tx, LinkProperties props) {
        super("evidence-relay-deadlines",
                BackgroundPoller.Settings.polling(props.deadlineScan(), Duration.ofMinutes(5), Duration.ofSeconds(10)));
        this.service = service;
        this.tx = tx;
        this.props = props;
    }

    @Override
    protected boolean pass() {
        Integer raised = tx.execute(s -> service.raiseOverdue(props.relayDeadline(), props.deliveryDeadline(), BATCH));
        return raised != null && raised >= BATCH;
    }
}
