package cn.chuanyu.kit.domain;

/** The party acting is known to the resource but the rule gives the action to another party (the sender, say). */
public class NotPermittedException extends DomainException {

    public NotPermittedException(String message) {
        super(message);
    }
}
