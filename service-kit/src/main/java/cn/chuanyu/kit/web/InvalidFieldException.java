package cn.chuanyu.kit.web;

/** A well-formed request whose field breaks a business rule (unknown agency, self-transfer...): 422. */
public class InvalidFieldException extends RuntimeException {

    private final String field;

    public InvalidFieldException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
