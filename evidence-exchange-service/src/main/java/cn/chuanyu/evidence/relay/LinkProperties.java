package cn.chuanyu.evidence.relay;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code chuanyu.link.*} as this service uses it.
 *
 * @param user           the broker user the peer's Shovel publishes as on this node: only a message with that
 *                       AMQP user-id came over the link ({@code CHUANYU_LINK_USER})
 * @param fetchRetry     the first wait before fetching an item's content again after a failure (doubling up to
 *                       {@code fetchRetryMax})
 * @param fetchRetryMax  the longest wait between fetch attempts
 * @param maxMismatches  content that arrives whole but hashes to something else this many times in a row is given
 *                       up on (FAILED, logged as an error) rather than fetched for ever
 * @param connectTimeout connecting to the peer's content endpoint
 * @param readTimeout    the longest silence on the content stream before the attempt is cut (and resumed later)
 * @param relayDeadline  the origin issues RELAY_FAILED for a package whose RELAY_ACCEPTED has not come within this
 *                       time of its seal ({@code CHUANYU_LINK_RELAY_DEADLINE}, as case-transfer-service's)
 * @param deliveryDeadline the destination issues NON_DELIVERY for a replica its recipient has not downloaded
 *                       within this time of its arrival, whether its content came or not
 *                       ({@code CHUANYU_LINK_DELIVERY_DEADLINE})
 * @param deadlineScan   how often the deadlines are looked at ({@code CHUANYU_LINK_DEADLINE_SCAN})
 */
@ConfigurationProperties("chuanyu.link")
record LinkProperties(String user, Duration fetchRetry, Duration fetchRetryMax, int maxMismatches,
        Duration connectTimeout, Duration readTimeout, Duration relayDeadline, Duration deliveryDeadline,
        Duration deadlineScan) {

    LinkProperties {
        // No default name: a guessable default would let whoever holds a broker user of that name speak for the peer.
        // Blank fails the start in two-region mode (LinkInListener).
        user = user == null ? "" : user.trim();
        fetchRetry = fetchRetry == null ? Duration.ofSeconds(2) : fetchRetry;
        fetchRetryMax = fetchRetryMax == null ? Duration.ofMinutes(5) : fetchRetryMax;
        maxMismatches = maxMismatches <= 0 ? 5 : maxMismatches;
        connectTimeout = connectTimeout == null ? Duration.ofSeconds(10) : connectTimeout;
        readTimeout = readTimeout == null ? Duration.ofSeconds(60) : readTimeout;
        relayDeadline = relayDeadline == null ? Duration.ofHours(1) : relayDeadline;
        deliveryDeadline = deliveryDeadline == null ? Duration.ofDays(2) : deliveryDeadline;
        deadlineScan = deadlineScan == null ? Duration.ofSeconds(30) : deadlineScan;
    }

    /**
     * {@code chuanyu.node.tls.*}: the mutual-TLS connector for evidence content (two regions only).
     *
     * @param port            the https port beside the normal one ({@code CHUANYU_NODE_TLS_PORT}); 0 = none
     * @param address         the interface it listens on
     * @param keystore        PKCS#12 with this node's certificate and key ({@code CHUANYU_NODE_TLS_KEYSTORE})
     * @param password        its password ({@code CHUANYU_NODE_TLS_PASSWORD})
     * @param peerCertificate the peer node's certificate, PEM or a file holding it: the only one accepted
     *                        ({@code CHUANYU_PEER_CERTIFICATE})
     * @param ca              the link CA's certificate, PEM or a file ({@code CHUANYU_LINK_CA})
     */
    @ConfigurationProperties("chuanyu.node.tls")
    record Tls(int port, String address, Path keystore, String password, String peerCertificate, String ca) {

        Tls {
            address = address == null || address.isBlank() ? "127.0.0.1" : address;
            password = password == null ? "" : password;
        }
    }
}
