/**
 * Service kit: the machinery every Chuanyu service shares, written once. Sub-packages:
 * {@code outbox} (transactional outbox and confirm-aware relay), {@code consumer} (idempotent consumer and queue
 * declarations), {@code identity} (the gateway-signed principal), {@code web} (problem+json and correlation ids),
 * {@code db} (per-service database bootstrap and kit schema).
 */
package cn.chuanyu.kit;
