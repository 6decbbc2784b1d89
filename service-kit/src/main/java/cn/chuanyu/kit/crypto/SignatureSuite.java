package cn.chuanyu.kit.crypto;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import cn.chuanyu.kit.web.InvalidParameterException;

/** The signature suites a key endpoint serves, chosen with {@code ?suite=} (absent: Ed25519, as before SM2). */
public enum SignatureSuite {
    ED25519, SM2;

    public static final String PARAMETER = "suite";

    /**
     * The suite named by the {@code suite} query parameter; Ed25519 when absent.
     *
     * @throws InvalidParameterException naming {@code suite} for any other value
     */
    public static SignatureSuite ofParameter(String value) {
        if (value == null || value.isEmpty()) {
            return ED25519;
        }
        for (SignatureSuite suite : values()) {
            if (suite.parameterValue().equals(value)) {
                return suite;
            }
        }
        throw new InvalidParameterException(PARAMETER, "suite must be one of " + Arrays.stream(values())
                .map(SignatureSuite::parameterValue).collect(Collectors.joining(", ")) + ", not '" + value + "'");
    }

    public String parameterValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
