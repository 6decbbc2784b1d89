package cn.chuanyu.kit.domain;

/** A command whose field breaks a business rule (unknown agency, self-transfer, a suspended recipient...). */
public class RuleViolationException extends DomainException {

    private final String field;

    public RuleViolationException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
