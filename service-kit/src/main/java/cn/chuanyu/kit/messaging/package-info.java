/**
 * Publishing with publisher confirms: {@link cn.chuanyu.kit.messaging.ConfirmedPublisher}, the one component the
 * outbox relay, the retrying recoverer and the dead-letter replayer publish through.
 */
package cn.chuanyu.kit.messaging;
