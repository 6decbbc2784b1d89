package cn.chuanyu.kit.web;

/** The request clashes with the resource's current state: 409. */
public class ConflictException extends RuntimeException {

    public ConflictException(String message) {
        super(message);
    }
}
