package cn.chuanyu.kit.domain;

/** The thing named does not exist, or the party asking may not know that it does. */
public class NotFoundException extends DomainException {

    public NotFoundException(String message) {
        super(message);
    }
}
