/**
 * Service kit: the machinery every Chuanyu service shares, written once. Sub-packages:
 * {@code outbox} (transactional outbox and its relay), {@code messaging} (publishing with confirms, in order),
 * {@code consumer} (idempotent consumer and queue declarations), {@code identity} (the gateway-signed principal),
 * {@code web} (problem+json and correlation ids), {@code db} (per-service database bootstrap and kit schema).
 */
package cn.chuanyu.kit;
