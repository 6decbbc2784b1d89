/** What this service consumes from the bus (agency registrations); what it publishes goes through the outbox. */
package cn.chuanyu.evidence.messaging;
