package cn.chuanyu.audit.log;

import cn.chuanyu.contracts.EventEnvelope;

/**
 * An event to append, with the producer's numbering from the message headers when it came with one.
 *
 * @param producer    the {@code cy-producer} header, or null
 * @param producerSeq the {@code cy-producer-seq} header, or null
 */
public record IncomingEvent(EventEnvelope event, String producer, Long producerSeq) {
}
