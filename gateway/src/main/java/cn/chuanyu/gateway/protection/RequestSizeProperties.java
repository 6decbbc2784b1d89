package cn.chuanyu.gateway.protection;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Request body limits ({@code chuanyu.gateway.request-size.*}).
 *
 * @param maxJsonBody every body except evidence uploads
 * @param maxUpload   PUT/PATCH under {@code /api/v1/evidence-packages/**}, streamed through
 */
@ConfigurationProperties("chuanyu.gateway.request-size")
record RequestSizeProperties(DataSize maxJsonBody, DataSize maxUpload) {

    RequestSizeProperties {
        maxJsonBody = maxJsonBody == null ? DataSize.ofMegabytes(1) : maxJsonBody;
        maxUpload = maxUpload == null ? DataSize.ofGigabytes(64) : maxUpload;
    }
}
