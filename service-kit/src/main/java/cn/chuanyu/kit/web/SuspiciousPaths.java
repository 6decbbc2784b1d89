package cn.chuanyu.kit.web;

import java.util.regex.Pattern;

/**
 * Dot segments, encoded separators, control characters and percent-escapes that are not valid UTF-8 (an overlong
 * {@code %c0%ae} is a dot in disguise) have no place in this API's paths: the gateway and the services refuse them
 * (400) rather than normalise them. An encoded {@code %} is fine ({@code 100%25.txt}) unless it spells a second
 * escape ({@code %252e}), which a server decoding twice would read as a dot or separator. Plain Java, so the
 * reactive gateway can use it without servlet classes.
 */
public final class SuspiciousPaths {

    /**
     * {@code /../}, {@code /./}, a trailing dot segment, backslashes, percent-encoded dots and separators, a
     * double-encoded escape ({@code %25} and two hex digits) and {@code ;}.
     */
    public static final Pattern PATTERN = Pattern.compile(
            "(^|/)\\.{1,2}(/|$)|\\\\|%2[eEfF]|%5[cC]|%25\\p{XDigit}{2}|;");

    private SuspiciousPaths() {
    }

    /** The one reason for a 400 that the gateway and the services give. */
    public static final String DETAIL =
            "path contains dot segments, encoded separators, control characters or malformed percent-encoding";

    public static boolean matches(String rawPath) {
        return PATTERN.matcher(rawPath).find() || QueryStrings.decode(rawPath.replace("+", "%2B")) == null;
    }
}
