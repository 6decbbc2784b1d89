package cn.chuanyu.kit.web;

import java.util.regex.Pattern;

/**
 * Dot segments and encoded separators have no place in this API's paths: the gateway and the services refuse them
 * (400) rather than normalise them. Plain Java, so the reactive gateway can use it without servlet classes.
 */
public final class SuspiciousPaths {

    /** {@code /../}, {@code /./}, a trailing dot segment, backslashes, percent-encoded dots and separators. */
    public static final Pattern PATTERN = Pattern.compile("(^|/)\\.{1,2}(/|$)|\\\\|%2[eEfF]|%5[cC]|%25|;");

    private SuspiciousPaths() {
    }

    public static boolean matches(String rawPath) {
        return PATTERN.matcher(rawPath).find();
    }
}
