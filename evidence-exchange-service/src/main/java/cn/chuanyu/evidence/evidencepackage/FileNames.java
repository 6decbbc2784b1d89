package cn.chuanyu.evidence.evidencepackage;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import cn.chuanyu.kit.web.InvalidParameterException;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Item file names: one path segment of the item URL, percent-decoded as UTF-8. A name must be 1-255 UTF-8 bytes,
 * contain no {@code /} or {@code \}, no {@code ..}, no control characters and no bidirectional-override characters
 * (which make {@code exe.txt} look like {@code txt.exe}), and may not be {@code .}. Before this, the kit's principal
 * filter already refuses any API path with dot segments, a raw {@code ;} or an encoded {@code /}, {@code \},
 * {@code .} or {@code %}; so a name cannot contain {@code %}, and {@code ;} must be sent as {@code %3B}.
 */
public final class FileNames {

    public static final String FIELD = "fileName";

    static final int MAX_UTF8_BYTES = 255;

    private FileNames() {
    }

    /**
     * The file name from the raw request URI, the segment after {@code /items/} (or {@code segmentMarker}). Read
     * raw, not from Spring's path variable, so that {@code ;} and encoded separators reach the checks unaltered.
     */
    public static String fromRequest(HttpServletRequest request, String segmentMarker) {
        String uri = request.getRequestURI();
        int at = uri.indexOf(segmentMarker);
        String raw = at < 0 ? "" : uri.substring(at + segmentMarker.length());
        return validate(percentDecode(raw));
    }

    public static String validate(String name) {
        if (name == null || name.isEmpty()) {
            throw invalid("must not be empty");
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX_UTF8_BYTES) {
            throw invalid("must be at most " + MAX_UTF8_BYTES + " bytes in UTF-8");
        }
        if (name.indexOf('/') >= 0 || name.indexOf('\\') >= 0) {
            throw invalid("must not contain / or \\");
        }
        if (name.contains("..") || name.equals(".")) {
            throw invalid("must not contain .. or be .");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isISOControl(c)) {
                throw invalid("must not contain control characters (found U+" + String.format("%04X", (int) c) + ")");
            }
            if ((c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069') || c == '\u200E'
                    || c == '\u200F' || c == '\u061C') {
                throw invalid("must not contain bidirectional control characters (found U+"
                        + String.format("%04X", (int) c) + ")");
            }
        }
        return name;
    }

    static String percentDecode(String raw) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length() || Character.digit(raw.charAt(i + 1), 16) < 0
                        || Character.digit(raw.charAt(i + 2), 16) < 0) {
                    throw invalid("has a malformed percent-encoding");
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
            throw invalid("is not valid UTF-8 once percent-decoded");
        }
    }

    /** For Location headers: every byte outside the unreserved set percent-encoded. */
    public static String encode(String name) {
        StringBuilder out = new StringBuilder();
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
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

    private static InvalidParameterException invalid(String rule) {
        return new InvalidParameterException(FIELD, "file name " + rule);
    }
}
