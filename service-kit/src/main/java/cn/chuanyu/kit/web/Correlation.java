package cn.chuanyu.kit.web;

import java.util.UUID;
import java.util.regex.Pattern;

/** Correlation id conventions shared by the gateway, the services and their events. */
public final class Correlation {

    public static final String HEADER = "X-Correlation-Id";

    public static final String MDC_KEY = "correlationId";

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._:-]{8,128}");

    private Correlation() {
    }

    /** Keeps a well-formed incoming id (so a client can follow its own id through); anything else is replaced. */
    public static String acceptOrCreate(String incoming) {
        return incoming != null && VALID.matcher(incoming).matches() ? incoming : UUID.randomUUID().toString();
    }
}
