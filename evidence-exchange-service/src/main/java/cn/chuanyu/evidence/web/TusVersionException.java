package cn.chuanyu.evidence.web;

/** A tus request for a protocol version other than 1.0.0: 412 with {@code Tus-Version}. */
public class TusVersionException extends RuntimeException {

    public TusVersionException(String requested) {
        super("Tus-Resumable " + requested + " is not supported; this server speaks 1.0.0");
    }
}
