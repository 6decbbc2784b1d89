package cn.chuanyu.kit.domain;

/** A command the current state does not allow (accepting a transfer already rejected...). */
public class StateConflictException extends DomainException {

    private final String currentState;

    public StateConflictException(String message) {
        this(message, null);
    }

    /** A transition refused because of the resource's state, which the problem names. */
    public StateConflictException(String message, String currentState) {
        super(message);
        this.currentState = currentState;
    }

    public String currentState() {
        return currentState;
    }
}
