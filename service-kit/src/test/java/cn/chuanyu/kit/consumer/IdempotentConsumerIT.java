package cn.chuanyu.kit.consumer;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import cn.chuanyu.contracts.EventEnvelope;
import cn.chuanyu.kit.KitTestApplication;
import cn.chuanyu.kit.test.TestInfrastructure;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@SpringBootTest(classes = KitTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = "chuanyu.outbox.relay-enabled=false")
class IdempotentConsumerIT {

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.register(registry, "kit");
    }

    @Autowired
    IdempotentConsumer consumer;

    @Test
    void aRedeliveredEventHasItsEffectOnce() {
        EventEnvelope event = event();
        AtomicInteger effects = new AtomicInteger();

        assertThat(consumer.handleOnce("counter", event, e -> effects.incrementAndGet())).isTrue();
        assertThat(consumer.handleOnce("counter", event, e -> effects.incrementAndGet())).isFalse();

        assertThat(effects).hasValue(1);
    }

    @Test
    void eachConsumerProcessesTheEventForItself() {
        EventEnvelope event = event();

        assertThat(consumer.handleOnce("first", event, e -> { })).isTrue();
        assertThat(consumer.handleOnce("second", event, e -> { })).isTrue();
    }

    @Test
    void aFailedEffectLeavesTheEventUnprocessedSoTheRetryRunsIt() {
        EventEnvelope event = event();

        assertThatThrownBy(() -> consumer.handleOnce("flaky", event, e -> {
            throw new IllegalStateException("database hiccup");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(consumer.handleOnce("flaky", event, e -> { })).isTrue();
    }

    private static EventEnvelope event() {
        return new EventEnvelope(UUID.randomUUID().toString(), "test", "test.happened", "x-1", Instant.now(), null,
                "sc-a", "cq-b", Map.of());
    }
}
