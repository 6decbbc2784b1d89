package cn.chuanyu.casetransfer.exchange;

import java.util.List;

import cn.chuanyu.kit.domain.DomainModel;

/**
 * The result of an aggregate's transition: its new state, and the event to publish with the agencies whose inbox
 * it belongs in (the party that did not act).
 */
@DomainModel
public record Transition<T>(T after, String eventType, Object data, List<String> addressees) {
}
