package cn.chuanyu.kit.crypto;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SM3 (GB/T 32905) as a JCA {@link MessageDigest}, from BouncyCastle, so streaming loops update it like SHA-256. */
public final class Sm3 {

    private Sm3() {
    }

    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SM3", Sm2Keys.PROVIDER);
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** Lowercase hex SM3 of {@code data}, as {@code openssl dgst -sm3} prints it. */
    public static String hexOf(byte[] data) {
        return HexFormat.of().formatHex(newDigest().digest(data));
    }
}
