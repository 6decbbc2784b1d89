package cn.chuanyu.kit.web;

/** A query or path parameter that is malformed (a cursor this API never issued, a bad filter value): 400. */
public class InvalidParameterException extends RuntimeException {

    private final String parameter;

    public InvalidParameterException(String parameter, String message) {
        super(message);
        this.parameter = parameter;
    }

    public String parameter() {
        return parameter;
    }
}
