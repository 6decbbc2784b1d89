package cn.chuanyu.evidence.web;

/** A body of a media type the endpoint does not take: 415. */
public class UnsupportedBodyTypeException extends RuntimeException {

    public UnsupportedBodyTypeException(String message) {
        super(message);
    }
}
