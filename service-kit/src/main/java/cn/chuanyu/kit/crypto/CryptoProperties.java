package cn.chuanyu.kit.crypto;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Which signature suites the platform uses beside Ed25519 ({@code chuanyu.crypto.*}, see chuanyu-defaults.yml).
 *
 * @param sm2 the SM2/SM3 suite
 */
@ConfigurationProperties("chuanyu.crypto")
public record CryptoProperties(@DefaultValue Sm2 sm2) {

    /**
     * @param enabled when true, every signed note, checkpoint and evidence manifest also carries an SM2 signature,
     *                made with an SM2 key kept beside each Ed25519 key ({@link Sm2Keys#fileBeside})
     */
    public record Sm2(@DefaultValue("false") boolean enabled) {
    }

    public static CryptoProperties sm2Enabled(boolean enabled) {
        return new CryptoProperties(new Sm2(enabled));
    }

    public boolean sm2Enabled() {
        return sm2.enabled();
    }
}
