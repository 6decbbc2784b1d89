package cn.chuanyu.gateway.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * API keys: {@code cyx_<keyId>_<secret>} with 256 random bits of secret. Only the SHA-256 of the whole key is
 * stored; with that much entropy a fast hash is enough (there is nothing to brute-force from a dictionary).
 */
final class ApiKeys {

    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKeys() {
    }

    record Issued(String keyId, String plainKey, String hash) {
    }

    static Issued issue() {
        byte[] id = new byte[6];
        byte[] secret = new byte[32];
        RANDOM.nextBytes(id);
        RANDOM.nextBytes(secret);
        String keyId = HexFormat.of().formatHex(id);
        String key = "cyx_" + keyId + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        return new Issued(keyId, key, hash(key));
    }

    static String hash(String plainKey) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(plainKey.getBytes(StandardCharsets.UTF_8)));
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** Cheap shape check so obvious garbage never reaches the database. */
    /** Checked on the event loop for every request: compiled once. */
    private static final Pattern KEY_FORMAT = Pattern.compile("cyx_[0-9a-f]{12}_[A-Za-z0-9_-]{43}");

    static boolean looksValid(String key) {
        return key != null && key.length() <= 100 && KEY_FORMAT.matcher(key).matches();
    }
}
