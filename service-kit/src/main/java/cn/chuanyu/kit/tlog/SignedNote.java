package cn.chuanyu.kit.tlog;

import java.util.ArrayList;
import java.util.List;

/**
 * A C2SP signed note split into its text (ending in a newline) and its signature lines (each {@code — name base64},
 * without the newline). Only the shape is checked here; {@code NoteVerifier} and {@link CosignatureVerifier} check
 * signatures.
 */
public record SignedNote(String text, List<String> signatureLines) {

    public static final String SIGNATURE_PREFIX = "\u2014 ";

    public SignedNote {
        signatureLines = List.copyOf(signatureLines);
    }

    /**
     * @throws IllegalArgumentException if {@code note} has no blank line before its signatures, does not end in a
     *                                  newline, or a signature line does not start with an em dash and a space
     */
    public static SignedNote parse(String note) {
        int split = note == null ? -1 : note.lastIndexOf("\n\n");
        if (split < 0 || !note.endsWith("\n") || split + 2 >= note.length()) {
            throw new IllegalArgumentException("not a signed note: text, a blank line, then signature lines");
        }
        List<String> lines = new ArrayList<>();
        for (String line : note.substring(split + 2, note.length() - 1).split("\n", -1)) {
            if (!line.startsWith(SIGNATURE_PREFIX) || line.substring(2).split(" ", -1).length != 2) {
                throw new IllegalArgumentException("a signature line is an em dash, a space, a key name, a space "
                        + "and base64: " + line);
            }
            lines.add(line);
        }
        return new SignedNote(note.substring(0, split + 1), lines);
    }

    /** This note with {@code lines} appended (those it already carries are not repeated). */
    public SignedNote withSignatures(List<String> lines) {
        List<String> all = new ArrayList<>(signatureLines);
        for (String line : lines) {
            String bare = line.endsWith("\n") ? line.substring(0, line.length() - 1) : line;
            if (!all.contains(bare)) {
                all.add(bare);
            }
        }
        return new SignedNote(text, all);
    }

    /** The note as text: the text, a blank line, one signature per line. */
    public String format() {
        return text + "\n" + String.join("\n", signatureLines) + "\n";
    }
}
