package cn.chuanyu.evidence.web;

import cn.chuanyu.kit.web.InvalidParameterException;

/** The media type an item is served with: what its uploader declared (within reason); none means bytes. */
public final class ContentTypes {

    public static final String DEFAULT = "application/octet-stream";

    private ContentTypes() {
    }

    public static String of(String declared, String field) {
        if (declared == null || declared.isBlank()) {
            return DEFAULT;
        }
        if (declared.length() > 255 || declared.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidParameterException(field, "must be at most 255 characters without control characters");
        }
        return declared.strip();
    }
}
