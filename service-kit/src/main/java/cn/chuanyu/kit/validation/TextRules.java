package cn.chuanyu.kit.validation;

import java.text.Normalizer;

/**
 * What text a request may carry. Refused everywhere: control characters (C0, DEL and C1), format characters (bidi
 * overrides and isolates, which make {@code exe.txt} read as {@code txt.exe}; zero-width characters; the BOM), lone
 * surrogates and the Unicode line and paragraph separators; text must also be in NFC, so that two strings that look
 * the same compare the same. Free text may in addition hold line feeds (LF only: a CR is refused, like any other
 * control character).
 */
public final class TextRules {

    private TextRules() {
    }

    /** Null when {@code text} is acceptable single-line text, else why it is not. */
    public static String singleLineProblem(CharSequence text) {
        return problem(text, false);
    }

    /** Null when {@code text} is acceptable multi-line text, else why it is not. */
    public static String freeTextProblem(CharSequence text) {
        return problem(text, true);
    }

    /** A control, format, surrogate or line/paragraph-separator code point: never in text this API accepts. */
    public static boolean isForbidden(int codePoint) {
        return switch (Character.getType(codePoint)) {
            case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.LINE_SEPARATOR,
                    Character.PARAGRAPH_SEPARATOR -> true;
            default -> false;
        };
    }

    /** {@code U+202E}, for messages that say which character was refused without echoing it. */
    public static String codePoint(int codePoint) {
        return String.format("U+%04X", codePoint);
    }

    private static String problem(CharSequence text, boolean lineFeeds) {
        if (text == null) {
            return null;
        }
        String s = text.toString();
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            if (isForbidden(cp) && !(lineFeeds && cp == '\n')) {
                return "must not contain control, format (bidi, zero-width), line-separator or lone surrogate "
                        + "characters" + (lineFeeds ? " other than line feeds" : "") + " (found " + codePoint(cp) + ")";
            }
            i += Character.charCount(cp);
        }
        if (!Normalizer.isNormalized(s, Normalizer.Form.NFC)) {
            return "must be Unicode NFC (composed) text";
        }
        return null;
    }
}
