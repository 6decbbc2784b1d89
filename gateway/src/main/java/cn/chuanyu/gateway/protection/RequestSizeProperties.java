package cn.chuanyu.gateway.protection;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Request body limits ({@code chuanyu.gateway.request-size.*}).
 *
 * @param maxJsonBody every body except evidence uploads
 * @param maxUpload   PUT/PATCH under {@code /api/v1/evidence-packages/**}, streamed through
 * @param maxDiscard  the largest refused body (declared length) read and dropped before the 413, so that a client
 *                    sending without {@code Expect: 100-continue} reads the answer instead of a connection reset
 * @param discardTimeout how long reading a refused body may take before the 413 goes out regardless
 */
@ConfigurationProperties("chuanyu.gateway.request-size")
record RequestSizeProperties(DataSize maxJsonBody, DataSize maxUpload, DataSize maxDiscard, Duration discardTimeout) {

    RequestSizeProperties {
        maxJsonBody = maxJsonBody == null ? DataSize.ofMegabytes(1) : maxJsonBody;
        maxUpload = maxUpload == null ? DataSize.ofGigabytes(64) : maxUpload;
        maxDiscard = maxDiscard == null ? DataSize.ofMegabytes(16) : maxDiscard;
        discardTimeout = discardTimeout == null ? Duration.ofSeconds(10) : discardTimeout;
    }
}
