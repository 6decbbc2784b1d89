/**
 * Completeness: each producer numbers its events gaplessly at publish time (the kit's outbox relay), the audit
 * trail stores the number with the entry, and the gaps per producer show events that never arrived.
 */
package cn.chuanyu.audit.completeness;
