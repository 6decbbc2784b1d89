package cn.chuanyu.casetransfer.exchange;

/** Which side of an exchange the caller is on, for lists. */
public enum Direction {
    INCOMING,
    OUTGOING;

    /** Lower-case in URLs ({@code ?direction=incoming}). */
    public static Direction parse(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        for (Direction d : values()) {
            if (d.name().equalsIgnoreCase(value)) {
                return d;
            }
        }
        throw new cn.chuanyu.kit.web.InvalidParameterException("direction", "must be incoming or outgoing");
    }
}
