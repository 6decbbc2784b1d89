package cn.chuanyu.evidence.evidencepackage;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import cn.chuanyu.kit.domain.DomainModel;
import cn.chuanyu.kit.validation.TextRules;

/**
 * The one rule for item names, however a name arrives (the PUT URL, tus upload metadata): a name is taken in NFC,
 * so names that look alike are the same name (compared case-sensitively after that), and then must be 1-255 bytes
 * of UTF-8 and not blank; hold no control, format (bidi, zero-width, BOM), surrogate or line-separator character
 * ({@link TextRules}), no invisible filler and no {@code /} or {@code \} nor a look-alike of a dot or slash (which
 * would make a name read as a path); no {@code ..}, not be {@code .}; not start with a space nor end with a dot or a
 * space (Windows drops those, so two names would become one); not be a Windows device name (CON, PRN, AUX, NUL,
 * COM1-9, LPT1-9, with any extension); and hold no {@code %} followed by two hex digits (it would read as an escape
 * in the item's URL). Plain Java: the web edge turns a refusal into a 400, the aggregate into a rule violation.
 */
@DomainModel
public final class FileNames {

    public static final String FIELD = "fileName";

    static final int MAX_UTF8_BYTES = 255;

    /** Fullwidth, small, division and fraction slashes, set minus, big solidi, and dots that are not U+002E. */
    private static final Set<Integer> LOOK_ALIKE_SEPARATORS = Set.of(0xFF0F, 0xFF3C, 0xFE68, 0x2215, 0x2044, 0x2216,
            0x29F8, 0x29F9, 0x2571, 0x2572, 0xFF0E, 0xFE52, 0xFF61, 0x2024, 0x2025);

    /** Letters that render as nothing (Hangul fillers, braille blank): a name made of them looks empty. */
    private static final Set<Integer> INVISIBLE = Set.of(0x115F, 0x1160, 0x3164, 0xFFA0, 0x2800);

    private static final Pattern DEVICE = Pattern.compile("(CON|PRN|AUX|NUL|COM[1-9¹²³]|LPT[1-9¹²³]|CONIN\\$|CONOUT\\$)");

    private static final Pattern ESCAPE_LIKE = Pattern.compile("%\\p{XDigit}{2}");

    private FileNames() {
    }

    /** The name in NFC (null stays null); what is stored, listed, sealed and looked up. */
    public static String normalise(String name) {
        return name == null ? null : Normalizer.normalize(name, Normalizer.Form.NFC);
    }

    /** Null when the (already normalised) name is acceptable, else why it is not, starting "file name ...". */
    public static String problem(String name) {
        String why = why(name);
        return why == null ? null : "file name " + why;
    }

    private static String why(String name) {
        if (name == null || name.isEmpty()) {
            return "must not be empty";
        }
        if (!Normalizer.isNormalized(name, Normalizer.Form.NFC)) {
            return "must be in Unicode NFC";
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX_UTF8_BYTES) {
            return "must be at most " + MAX_UTF8_BYTES + " bytes in UTF-8";
        }
        if (name.codePoints().allMatch(FileNames::isSpace)) {
            return "must not be blank";
        }
        for (int i = 0; i < name.length(); ) {
            int cp = name.codePointAt(i);
            if (TextRules.isForbidden(cp)) {
                return "must not contain control, format (bidi, zero-width, BOM) or line-separator characters (found "
                        + TextRules.codePoint(cp) + ")";
            }
            if (cp == '/' || cp == '\\') {
                return "must not contain / or \\";
            }
            if (LOOK_ALIKE_SEPARATORS.contains(cp)) {
                return "must not contain characters that look like a dot or a slash (found " + TextRules.codePoint(cp)
                        + ")";
            }
            if (INVISIBLE.contains(cp)) {
                return "must not contain invisible filler characters (found " + TextRules.codePoint(cp) + ")";
            }
            i += Character.charCount(cp);
        }
        if (name.contains("..") || name.equals(".")) {
            return "must not contain .. or be .";
        }
        if (isSpace(name.codePointAt(0)) || name.endsWith(".") || isSpace(name.codePointBefore(name.length()))) {
            return "must not start with a space or end with a dot or a space";
        }
        int dot = name.indexOf('.');
        String stem = (dot < 0 ? name : name.substring(0, dot)).strip().toUpperCase(Locale.ROOT);
        if (DEVICE.matcher(stem).matches()) {
            return "must not be a Windows device name (CON, PRN, AUX, NUL, COM1-9, LPT1-9), with or without an "
                    + "extension";
        }
        if (ESCAPE_LIKE.matcher(name).find()) {
            return "must not contain % followed by two hex digits (it would read as a percent-escape)";
        }
        return null;
    }

    private static boolean isSpace(int cp) {
        return Character.isWhitespace(cp) || Character.isSpaceChar(cp);
    }
}
