package cn.chuanyu.casetransfer.webhook;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

import org.springframework.stereotype.Component;

/**
 * Which addresses a webhook may reach: none of the {@link SpecialPurposeAddresses}, except loopback when
 * {@code chuanyu.webhooks.allow-private-targets} is set (local development and tests, whose receivers listen on
 * this machine). Used at registration, to answer early, and again for every connection the dispatcher opens,
 * because DNS may answer differently by then.
 */
@Component
class WebhookTargets {

    private final WebhookHostLookup lookup;
    private final boolean allowLoopback;

    WebhookTargets(WebhookHostLookup lookup, WebhookProperties props) {
        this.lookup = lookup;
        this.allowLoopback = props.allowPrivateTargets();
    }

    /**
     * Resolves the host once and returns its addresses, or refuses all of them if any one is special-purpose (a
     * name that also points inward is not an agency's public receiver).
     */
    List<InetAddress> allowedAddresses(String host) throws UnknownHostException {
        List<InetAddress> addresses = List.of(lookup.lookup(host));
        if (addresses.isEmpty()) {
            throw new UnknownHostException(host);
        }
        for (InetAddress address : addresses) {
            requireAllowed(host, address);
        }
        return addresses;
    }

    /** Refuses a connection to a special-purpose address, whatever name led to it. */
    void requireAllowed(String host, InetAddress address) throws RefusedTargetException {
        if (address == null) {
            throw new RefusedTargetException("refused " + host + ": not resolved through the webhook resolver");
        }
        Optional<String> range = SpecialPurposeAddresses.rangeOf(address);
        if (range.isPresent() && !(allowLoopback && address.isLoopbackAddress())) {
            throw new RefusedTargetException("refused " + host + ": " + address.getHostAddress() + " is in "
                    + range.get());
        }
    }
}
