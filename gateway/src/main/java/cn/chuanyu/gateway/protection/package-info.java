/**
 * What keeps the platform up under load and failure: per-caller rate limits (Redis), request size limits, and a
 * circuit breaker per service with a problem+json fallback.
 */
package cn.chuanyu.gateway.protection;
