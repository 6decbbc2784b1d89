/**
 * What transfers and assistance requests share: party rules, transitions and the events they publish (outbox and
 * inbox in one go), cursors, ETags and the deadline scanner.
 */
package cn.chuanyu.casetransfer.exchange;
