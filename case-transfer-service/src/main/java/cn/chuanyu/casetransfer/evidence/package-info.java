/**
 * The evidence packages this service knows to be sealed, learnt from evidence-exchange-service's
 * {@code evidence.sealed} events (no call back to that service): what an assistance request's completion may name.
 * The events arrive asynchronously, so a package sealed a moment ago may not be known here yet.
 */
package cn.chuanyu.casetransfer.evidence;
