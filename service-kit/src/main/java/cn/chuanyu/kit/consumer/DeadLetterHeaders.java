package cn.chuanyu.kit.consumer;

/** Headers the {@link RetryingRecoverer} puts on messages it sends to retry queues and dead-letter queues. */
public final class DeadLetterHeaders {

    /** Failed rounds so far (each round is the container's in-memory attempts). Reset to 0 by a replay. */
    public static final String ATTEMPTS = "x-chuanyu-attempts";

    /** The queue the message failed on. */
    public static final String ORIGINAL_QUEUE = "x-chuanyu-original-queue";

    /** Why the last attempt failed: {@code <exception class>: <message>}. */
    public static final String FAILURE_REASON = "x-chuanyu-failure-reason";

    /** The exception class of the last failure. */
    public static final String FAILURE_EXCEPTION = "x-chuanyu-failure-exception";

    /** When the message was dead-lettered (ISO-8601 UTC). */
    public static final String FAILED_AT = "x-chuanyu-failed-at";

    /** Whether the failure could never succeed (unparseable, unknown): dead-lettered without retries. */
    public static final String FATAL = "x-chuanyu-fatal";

    private DeadLetterHeaders() {
    }

    /** A header value as a whole number (AMQP may carry it as any integer type, or a string). */
    public static int intValue(Object header) {
        if (header instanceof Number n) {
            return n.intValue();
        }
        if (header != null) {
            try {
                return Integer.parseInt(header.toString().trim());
            }
            catch (NumberFormatException ex) {
                return 0;
            }
        }
        return 0;
    }
}
