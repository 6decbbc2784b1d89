package cn.chuanyu.evidence;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import cn.chuanyu.contracts.EventEnvelope;
import cn.chuanyu.contracts.Messaging;
import cn.chuanyu.kit.json.Json;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

import static org.awaitility.Awaitility.await;

/** Reads the audit trail's queue in the test vhost, keeping every event seen so tests can look for theirs. */
final class AuditQueue {

    private static final List<EventEnvelope> SEEN = new CopyOnWriteArrayList<>();

    private AuditQueue() {
    }

    static List<EventEnvelope> awaitEvents(RabbitTemplate rabbit, String subject, Predicate<List<EventEnvelope>> done) {
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            Message message = rabbit.receive(Messaging.AUDIT_QUEUE, 200);
            if (message != null) {
                SEEN.add(Json.read(message.getBody()));
            }
            return done.test(of(subject));
        });
        return of(subject);
    }

    private static List<EventEnvelope> of(String subject) {
        return SEEN.stream().filter(e -> subject.equals(e.subject())).toList();
    }
}
