package cn.chuanyu.casetransfer.webhook;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Resolves a webhook URL's host: the system resolver, replaced in tests to play a rebinding DNS server. */
@FunctionalInterface
interface WebhookHostLookup {

    InetAddress[] lookup(String host) throws UnknownHostException;
}
