package cn.chuanyu.kit.identity;

/** The caller is authenticated but its role does not allow the operation: 403. */
public class AccessDeniedException extends RuntimeException {

    public AccessDeniedException(String message) {
        super(message);
    }
}
