package cn.chuanyu.kit.consumer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import cn.chuanyu.contracts.Messaging;
import cn.chuanyu.kit.KitTestApplication;
import cn.chuanyu.kit.test.TestInfrastructure;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The audit queue, as every service declares it, hands messages to one consumer at a time and fails over. */
@SpringBootTest(classes = KitTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = "chuanyu.outbox.relay-enabled=false")
class AuditQueueIT {

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.register(registry, "kit");
    }

    @Autowired
    ConnectionFactory connectionFactory;

    @Test
    void oneConsumerReceivesEverythingUntilItGoesAwayThenTheNextTakesOver() throws Exception {
        RabbitTemplate rabbit = new RabbitTemplate(connectionFactory);
        RabbitAdmin admin = new RabbitAdmin(connectionFactory);
        admin.initialize();
        admin.purgeQueue(Messaging.AUDIT_QUEUE, false);

        AtomicInteger first = new AtomicInteger();
        AtomicInteger second = new AtomicInteger();
        try (Connection connection = connectionFactory.createConnection()) {
            Channel a = connection.createChannel(false);
            Channel b = connection.createChannel(false);
            String tagA = a.basicConsume(Messaging.AUDIT_QUEUE, true, counting(a, first));
            b.basicConsume(Messaging.AUDIT_QUEUE, true, counting(b, second));

            publish(rabbit, 5);
            await().atMost(Duration.ofSeconds(10)).until(() -> first.get() == 5);
            Thread.sleep(300);
            assertThat(second).hasValue(0);

            a.basicCancel(tagA);
            publish(rabbit, 3);
            await().atMost(Duration.ofSeconds(10)).until(() -> second.get() == 3);
            assertThat(first).hasValue(5);
            a.close();
            b.close();
        }
    }

    private static DefaultConsumer counting(Channel channel, AtomicInteger count) {
        return new DefaultConsumer(channel) {
            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties,
                    byte[] body) {
                count.incrementAndGet();
            }
        };
    }

    private static void publish(RabbitTemplate rabbit, int count) {
        for (int i = 0; i < count; i++) {
            rabbit.send(Messaging.EVENTS_EXCHANGE, "test.single-active",
                    new Message(("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8), new MessageProperties()));
        }
    }
}
