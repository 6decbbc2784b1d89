package cn.chuanyu.audit.messaging;

import java.util.Map;

import cn.chuanyu.contracts.Messaging;
import cn.chuanyu.kit.messaging.PublisherIdentity;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.AmqpRejectAndDontRequeueException;
import org.springframework.amqp.core.MessageProperties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrustedPublishersTest {

    private final TrustedPublishers publishers = new TrustedPublishers(
            TrustedPublishers.parse("i-case-transfer=case-transfer-service, i-audit=audit-service"), "i-audit");

    @Test
    void theProducerIsTheOneTheVerifiedUserStandsFor() {
        assertThat(publishers.producerOf(received("i-case-transfer", "case-transfer-service")))
                .isEqualTo("case-transfer-service");
        assertThat(publishers.producerOf(received("i-case-transfer", null))).isEqualTo("case-transfer-service");
    }

    @Test
    void aClaimOtherThanTheUsersProducerIsRefused() {
        assertThatThrownBy(() -> publishers.producerOf(received("i-audit", "case-transfer-service")))
                .isInstanceOf(AmqpRejectAndDontRequeueException.class).hasMessageContaining("forged producer");
        assertThatThrownBy(() -> publishers.producerOf(received("guest", "case-transfer-service")))
                .isInstanceOf(AmqpRejectAndDontRequeueException.class).hasMessageContaining("broker user guest");
        assertThatThrownBy(() -> publishers.producerOf(received(null, "case-transfer-service")))
                .isInstanceOf(AmqpRejectAndDontRequeueException.class).hasMessageContaining("no user-id");
    }

    /** A retry or replay arrives with this service's own user-id; the first sender travels in a header. */
    @Test
    void aFirstPublisherHeaderCountsOnlyOnAMessageThisServiceRepublished() {
        MessageProperties retried = received("i-audit", "case-transfer-service");
        retried.setHeader(PublisherIdentity.FIRST_PUBLISHER, "i-case-transfer");
        assertThat(publishers.producerOf(retried)).isEqualTo("case-transfer-service");

        MessageProperties unknownFirst = received("i-audit", null);
        unknownFirst.setHeader(PublisherIdentity.FIRST_PUBLISHER, "");
        assertThatThrownBy(() -> publishers.producerOf(unknownFirst)).hasMessageContaining("no user-id");

        MessageProperties selfVouched = received("i-case-transfer", "audit-service");
        selfVouched.setHeader(PublisherIdentity.FIRST_PUBLISHER, "i-audit");
        assertThatThrownBy(() -> publishers.producerOf(selfVouched)).hasMessageContaining("forged producer");
    }

    @Test
    void withoutTheSettingTheClaimIsBelieved() {
        TrustedPublishers open = new TrustedPublishers(Map.of(), "guest");
        assertThat(open.producerOf(received(null, "anything"))).isEqualTo("anything");
    }

    @Test
    void aMalformedSettingStopsStartUp() {
        assertThatThrownBy(() -> TrustedPublishers.parse("i-audit=audit-service,just-a-user"))
                .hasMessageContaining("'just-a-user' is not user=producer");
    }

    private static MessageProperties received(String userId, String claimed) {
        MessageProperties properties = new MessageProperties();
        properties.setReceivedUserId(userId);
        properties.setReceivedExchange(Messaging.EVENTS_EXCHANGE);
        if (claimed != null) {
            properties.setHeader(Messaging.HEADER_PRODUCER, claimed);
        }
        return properties;
    }
}
