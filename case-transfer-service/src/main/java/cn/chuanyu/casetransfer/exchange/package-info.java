/**
 * What transfers and assistance requests share: exchange rules (parties, states, versions, deadlines), transitions and
 * the recording of their events (outbox and inbox in one go), ETags and the deadline scanner.
 */
package cn.chuanyu.casetransfer.exchange;
