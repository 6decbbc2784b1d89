package cn.chuanyu.kit.web;

import java.io.IOException;

/** A request body over the documented limit: 413. An IOException so it can surface from a body stream. */
public class PayloadTooLargeException extends IOException {

    public PayloadTooLargeException(long limit) {
        super("request body exceeds the limit of " + limit + " bytes");
    }
}
