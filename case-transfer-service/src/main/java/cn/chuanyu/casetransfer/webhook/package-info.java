/**
 * Webhooks: an agency registers URLs; every inbox entry is POSTed to each of them, signed with HMAC-SHA256, retried
 * with exponential back-off until delivered or out of attempts. Deliveries and their attempts are visible.
 */
package cn.chuanyu.casetransfer.webhook;
