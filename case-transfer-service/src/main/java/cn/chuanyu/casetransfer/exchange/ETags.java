package cn.chuanyu.casetransfer.exchange;

import java.util.HashSet;
import java.util.Set;

/** Optimistic concurrency over HTTP: an exchange's version travels as a strong ETag and comes back in If-Match. */
public final class ETags {

    private ETags() {
    }

    public static String etag(int version) {
        return "\"" + version + "\"";
    }

    /** No If-Match (or {@code *}) accepts whatever is current; otherwise one of the tags must name it. */
    public static ExpectedVersion expectedVersion(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank() || ifMatch.strip().equals("*")) {
            return ExpectedVersion.ANY;
        }
        Set<Integer> versions = new HashSet<>();
        for (String tag : ifMatch.split(",")) {
            String value = tag.strip();
            if (value.startsWith("W/")) {
                value = value.substring(2);
            }
            // A tag that is not one of ours (not a quoted version number) can never match: it is left out.
            if (value.matches("\"(0|[1-9][0-9]{0,8})\"")) {
                versions.add(Integer.parseInt(value.substring(1, value.length() - 1)));
            }
        }
        return ExpectedVersion.oneOf(versions);
    }
}
