package cn.chuanyu.casetransfer.exchange;

import cn.chuanyu.kit.web.InvalidParameterException;

/** Query parameters the exchange lists share. */
public final class ExchangeParameters {

    private ExchangeParameters() {
    }

    /** {@code ?direction=incoming|outgoing}, any case; none means both. */
    public static Direction direction(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        for (Direction d : Direction.values()) {
            if (d.name().equalsIgnoreCase(value)) {
                return d;
            }
        }
        throw new InvalidParameterException("direction", "must be incoming or outgoing");
    }
}
