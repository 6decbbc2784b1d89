package cn.chuanyu.contracts;

/**
 * Data of {@link EventTypes#GATEWAY_ACCESS}: one request through the gateway, for the audit trail. Never bodies,
 * never query strings (they may carry case data).
 *
 * @param caller         principal id, or null when the request was not authenticated
 * @param role           the caller's role, or null
 * @param method         HTTP method
 * @param route          gateway route id (e.g. {@code case-transfers}), {@code admin}, or null when nothing matched
 * @param path           request path without the query, as sent; a long one is cut (the record says how long it was)
 * @param status         response status; null when the client went away before an answer
 * @param durationMillis time from the request's arrival to the end of the response
 * @param correlationId  the request's {@code X-Correlation-Id}: the client's word, so it is kept here and never used
 *                       as the envelope's subject (which names an exchange); the subject is the gateway's own
 *                       {@code access-<uuid>}
 * @param traceId        W3C trace id of the request
 * @param time           ISO-8601 instant the request arrived
 */
public record GatewayAccess(String caller, String role, String method, String route, String path, Integer status,
        long durationMillis, String correlationId, String traceId, String time) {
}
