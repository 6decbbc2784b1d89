package cn.chuanyu.evidence.evidencepackage;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import cn.chuanyu.evidence.web.RangeNotSatisfiableException;

/**
 * One inclusive byte range of an item. Single ranges only ({@code bytes=a-b}, {@code bytes=a-}, {@code bytes=-n});
 * a header this does not understand, or several ranges, is ignored and the whole item is sent (RFC 9110 allows it).
 */
public record ByteRange(long first, long last, boolean partial) {

    private static final Pattern SINGLE = Pattern.compile("bytes=\\s*(\\d*)-(\\d*)\\s*");

    public long length() {
        return last - first + 1;
    }

    public static ByteRange whole(long size) {
        return new ByteRange(0, size - 1, false);
    }

    public static ByteRange parse(String header, long size) {
        if (header == null) {
            return whole(size);
        }
        Matcher m = SINGLE.matcher(header);
        if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
            return whole(size);
        }
        try {
            if (m.group(1).isEmpty()) {
                long suffix = Long.parseLong(m.group(2));
                if (suffix == 0 || size == 0) {
                    throw new RangeNotSatisfiableException(header, size);
                }
                return new ByteRange(Math.max(0, size - suffix), size - 1, true);
            }
            long first = Long.parseLong(m.group(1));
            if (first >= size) {
                throw new RangeNotSatisfiableException(header, size);
            }
            long last = m.group(2).isEmpty() ? size - 1 : Long.parseLong(m.group(2));
            if (last < first) {
                return whole(size);
            }
            return new ByteRange(first, Math.min(last, size - 1), true);
        }
        catch (NumberFormatException ex) {
            return whole(size);
        }
    }
}
