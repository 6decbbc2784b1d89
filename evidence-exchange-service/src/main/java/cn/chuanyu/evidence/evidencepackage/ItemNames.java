package cn.chuanyu.evidence.evidencepackage;

import cn.chuanyu.evidence.web.PathSegments;
import cn.chuanyu.kit.web.InvalidParameterException;

/**
 * Item names at the HTTP edge: from the item URL or from upload metadata, through {@link FileNames}, refused with a
 * 400 naming {@value FileNames#FIELD}.
 */
public final class ItemNames {

    private ItemNames() {
    }

    /** The name in the raw request URI after {@code marker}: percent-decoded once, normalised, checked. */
    public static String fromPath(String rawUri, String marker) {
        String decoded = PathSegments.decode(PathSegments.after(rawUri, marker));
        if (decoded == null) {
            throw new InvalidParameterException(FileNames.FIELD,
                    "file name has a malformed percent-encoding or is not UTF-8 once decoded");
        }
        return of(decoded);
    }

    /** A name as declared (tus {@code filename}): normalised, checked. */
    public static String of(String declared) {
        String name = FileNames.normalise(declared);
        String problem = FileNames.problem(name);
        if (problem != null) {
            throw new InvalidParameterException(FileNames.FIELD, problem);
        }
        return name;
    }
}
