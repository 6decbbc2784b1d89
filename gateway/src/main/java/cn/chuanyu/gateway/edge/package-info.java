/**
 * What every request crossing the gateway gets: a correlation id and a W3C trace context, problem+json for every
 * failure, and an access record for the audit trail.
 */
package cn.chuanyu.gateway.edge;
