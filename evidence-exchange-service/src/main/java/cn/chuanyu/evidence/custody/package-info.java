/**
 * The chain of custody: every action on a package or item becomes an event in the outbox (so it reaches the audit
 * trail) and a row both parties can list, in the transaction of the action.
 */
package cn.chuanyu.evidence.custody;
