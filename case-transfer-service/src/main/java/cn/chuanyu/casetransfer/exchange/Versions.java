package cn.chuanyu.casetransfer.exchange;

import cn.chuanyu.kit.domain.StaleVersionException;

/** Optimistic concurrency over HTTP: the version travels as a strong ETag and comes back in If-Match. */
public final class Versions {

    private Versions() {
    }

    public static String etag(int version) {
        return "\"" + version + "\"";
    }

    /** No If-Match means the caller accepts whatever is current; otherwise it must name the current version. */
    public static void checkIfMatch(String ifMatch, int currentVersion) {
        if (ifMatch == null || ifMatch.isBlank() || ifMatch.strip().equals("*")) {
            return;
        }
        for (String tag : ifMatch.split(",")) {
            String value = tag.strip();
            if (value.startsWith("W/")) {
                value = value.substring(2);
            }
            if (value.equals(etag(currentVersion))) {
                return;
            }
        }
        throw new StaleVersionException("If-Match " + ifMatch + " does not match the current version "
                + etag(currentVersion) + "; reload and retry", currentVersion);
    }
}
