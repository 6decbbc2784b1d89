package cn.chuanyu.kit.web;

/** The request clashes with the resource's current state: 409. */
public class ConflictException extends RuntimeException {

    private final String currentState;

    public ConflictException(String message) {
        this(message, null);
    }

    /** A transition refused because of the resource's state, which the problem names. */
    public ConflictException(String message, String currentState) {
        super(message);
        this.currentState = currentState;
    }

    public String currentState() {
        return currentState;
    }
}
