package cn.chuanyu.kit.identity;

/** A principal token that is missing, malformed, forged or expired: 401. */
public class InvalidPrincipalException extends RuntimeException {

    public InvalidPrincipalException(String message) {
        super(message);
    }
}
