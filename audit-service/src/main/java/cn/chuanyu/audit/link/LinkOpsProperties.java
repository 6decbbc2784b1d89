package cn.chuanyu.audit.link;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How this node reaches its broker's management API to watch and steer the link ({@code chuanyu.link.ops}).
 *
 * @param managementUrl the RabbitMQ management API (RABBIT_MANAGEMENT_URL)
 * @param adminUser     a broker user with the {@code policymaker} tag on this node's vhost (CHUANYU_LINK_ADMIN_USER):
 *                      enough to read queues and Shovel status and to set or clear the Shovel parameter
 * @param adminPassword its password (CHUANYU_LINK_ADMIN_PASSWORD)
 * @param vhost         this node's vhost (RABBIT_VHOST)
 * @param shovelFile    the Shovel's definition (CHUANYU_LINK_SHOVEL_FILE: the JSON body of
 *                      {@code PUT /api/parameters/shovel/<vhost>/link-to-<peer>}, or just its {@code value}),
 *                      restored on resume
 * @param timeout       how long one management call may take
 * @param pollInterval  how often the backlog gauges and the last delivery are refreshed
 * @param downAfter     how long the Shovel may be not running (connecting) before the link is DOWN
 *                      (CHUANYU_LINK_DOWN_AFTER): shorter than this is STARTING
 */
@ConfigurationProperties("chuanyu.link.ops")
record LinkOpsProperties(
        @DefaultValue("http://localhost:15672") String managementUrl,
        @DefaultValue("") String adminUser,
        @DefaultValue("") String adminPassword,
        @DefaultValue("/") String vhost,
        Path shovelFile,
        @DefaultValue("5s") Duration timeout,
        @DefaultValue("5s") Duration pollInterval,
        @DefaultValue("15s") Duration downAfter) {
}
