/**
 * The link to the peer region's node, as its operators see and steer it: state (RUNNING, PAUSED, DOWN), messages
 * waiting each way, backlog age and last delivery, read from the RabbitMQ management API; pause and resume by
 * removing and restoring the Shovel's definition; Prometheus gauges of the backlog.
 */
package cn.chuanyu.audit.link;
