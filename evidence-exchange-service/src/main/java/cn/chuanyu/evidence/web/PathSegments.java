package cn.chuanyu.evidence.web;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * One path segment as the client sent it: read from the raw request URI (not Spring's path variable, so that
 * {@code ;} and encoded separators reach the checks unaltered), percent-decoded exactly once as UTF-8, and encoded
 * back for {@code Location} and {@code Content-Disposition}.
 */
public final class PathSegments {

    private PathSegments() {
    }

    /** The raw text after {@code marker} in {@code rawUri}, empty when the marker is absent. */
    public static String after(String rawUri, String marker) {
        int at = rawUri.indexOf(marker);
        return at < 0 ? "" : rawUri.substring(at + marker.length());
    }

    /** The percent-decoded UTF-8 text, or null when an escape is malformed or the bytes are not UTF-8. */
    public static String decode(String raw) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length() || Character.digit(raw.charAt(i + 1), 16) < 0
                        || Character.digit(raw.charAt(i + 2), 16) < 0) {
                    return null;
                }
                bytes.write(Character.digit(raw.charAt(i + 1), 16) * 16 + Character.digit(raw.charAt(i + 2), 16));
                i += 2;
            }
            else if (c < 0x100) {
                // The container hands over raw URI bytes one char per byte.
                bytes.write(c);
            }
            else {
                byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(utf8, 0, utf8.length);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        }
        catch (CharacterCodingException ex) {
            return null;
        }
    }

    /** Every byte outside the unreserved set percent-encoded: {@code 100%.txt} becomes {@code 100%25.txt}. */
    public static String encode(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                    || c == '_' || c == '~') {
                out.append((char) c);
            }
            else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
