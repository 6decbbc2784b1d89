package cn.chuanyu.kit.domain;

/**
 * A business rule refused a command. The domain throws these without knowing about HTTP; the web layer
 * ({@code kit.web.ProblemHandler}) maps each kind to a problem.
 */
public abstract class DomainException extends RuntimeException {

    protected DomainException(String message) {
        super(message);
    }
}
