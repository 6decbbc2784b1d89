package cn.chuanyu.casetransfer.webhook;

import java.net.UnknownHostException;

/**
 * A webhook host resolved to, or a connection was about to go to, a special-purpose address. An
 * {@link UnknownHostException} because that is what the HTTP client's resolver may throw; the message is for
 * operators only (it names the address and its range) and never reaches the agency.
 */
class RefusedTargetException extends UnknownHostException {

    RefusedTargetException(String message) {
        super(message);
    }
}
