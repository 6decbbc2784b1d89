package cn.chuanyu.kit.web;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;

/**
 * Where a page ended: the sort key of its last item, handed to clients as an opaque {@code cursor}. A list ordered
 * by time keys on the time and the id (so rows with the same time are neither skipped nor served twice); a list in
 * sequence order keys on the sequence number. Times keep microseconds, PostgreSQL's precision.
 * <p>
 * Clients must not build or read cursors: one this API did not issue (or one of another list) is a 400 problem
 * naming {@code cursor}.
 */
public final class PageCursor {

    /** Bumped if the encoding ever changes, so that old cursors are refused instead of misread. */
    private static final String VERSION = "c1";
    private static final String SEPARATOR = "\n";

    private final String[] key;

    private PageCursor(String[] key) {
        this.key = key;
    }

    /** The cursor of a sort key: {@link Instant}s, {@link UUID}s, numbers or single-line text, in sort order. */
    public static String encode(Object... key) {
        StringBuilder out = new StringBuilder(VERSION);
        for (Object part : key) {
            String text = part instanceof Instant time ? Long.toString(micros(time)) : String.valueOf(part);
            if (text.contains(SEPARATOR)) {
                throw new IllegalArgumentException("cursor key parts are single-line");
            }
            out.append(SEPARATOR).append(text);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(out.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The key of a cursor this API issued, with {@code parts} parts; null when the client sent none (the first
     * page).
     *
     * @throws InvalidParameterException naming {@code cursor} for anything else
     */
    public static PageCursor decode(String cursor, int parts) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        String text;
        try {
            text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        }
        catch (IllegalArgumentException ex) {
            throw invalid();
        }
        String[] split = text.split(SEPARATOR, -1);
        if (split.length != parts + 1 || !split[0].equals(VERSION)) {
            throw invalid();
        }
        return new PageCursor(Arrays.copyOfRange(split, 1, split.length));
    }

    public Instant instant(int index) {
        long micros = number(index);
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    }

    public UUID uuid(int index) {
        try {
            return UUID.fromString(key[index]);
        }
        catch (IllegalArgumentException ex) {
            throw invalid();
        }
    }

    /** A non-negative number: a sequence position. */
    public long position(int index) {
        long value = number(index);
        if (value < 0) {
            throw invalid();
        }
        return value;
    }

    public String text(int index) {
        return key[index];
    }

    private long number(int index) {
        try {
            return Long.parseLong(key[index]);
        }
        catch (NumberFormatException ex) {
            throw invalid();
        }
    }

    private static long micros(Instant time) {
        return Math.addExact(Math.multiplyExact(time.getEpochSecond(), 1_000_000L), time.getNano() / 1_000);
    }

    private static InvalidParameterException invalid() {
        return new InvalidParameterException(Paging.CURSOR, "not a cursor this API returned for this list; "
                + "pass the nextCursor of the previous page, or none for the first page");
    }
}
