package cn.chuanyu.client;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks {@code X-Chuanyu-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + raw body)>} on a webhook
 * delivery. A timestamp further than the skew window from this machine's clock is refused, and so is a signature
 * seen before within the window (a replay); older ones are refused by the window itself, so memory stays bounded.
 * Verify the raw bytes as received, before any JSON parsing.
 */
public final class WebhookVerifier {

    public static final String HEADER = "X-Chuanyu-Signature";

    /** Why a delivery was refused. */
    public static final class Rejected extends Exception {
        Rejected(String message) {
            super(message);
        }
    }

    private final byte[] secret;
    private final Duration skew;
    private final Clock clock;
    /** Signatures accepted within the window, with their timestamps, oldest first. */
    private final Map<String, Long> seen = new LinkedHashMap<>();

    public WebhookVerifier(String secret, Duration skew, Clock clock) {
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.skew = skew;
        this.clock = clock;
    }

    /** Five minutes either way, the system clock. */
    public WebhookVerifier(String secret) {
        this(secret, Duration.ofMinutes(5), Clock.systemUTC());
    }

    /** Returns normally when the delivery is authentic, fresh and new; throws {@link Rejected} saying why not. */
    public synchronized void verify(String header, byte[] body) throws Rejected {
        if (header == null || header.isBlank()) {
            throw new Rejected("no " + HEADER + " header");
        }
        Long timestamp = null;
        String v1 = null;
        for (String part : header.split(",")) {
            String[] kv = part.strip().split("=", 2);
            if (kv.length == 2 && kv[0].equals("t")) {
                try {
                    timestamp = Long.parseLong(kv[1]);
                }
                catch (NumberFormatException ex) {
                    throw new Rejected("the timestamp t is not a number");
                }
            }
            else if (kv.length == 2 && kv[0].equals("v1")) {
                v1 = kv[1];
            }
        }
        if (timestamp == null || v1 == null) {
            throw new Rejected(HEADER + " needs t=<unix seconds>,v1=<hex hmac>");
        }
        long now = clock.instant().getEpochSecond();
        if (Math.abs(now - timestamp) > skew.toSeconds()) {
            throw new Rejected("timestamp " + timestamp + " is " + (now - timestamp) + " s from this clock, outside "
                    + "the window of " + skew.toSeconds() + " s (a replay, or a clock to fix)");
        }
        byte[] expected = hmac(timestamp, body);
        byte[] given;
        try {
            given = HexFormat.of().parseHex(v1);
        }
        catch (IllegalArgumentException ex) {
            throw new Rejected("v1 is not hex");
        }
        if (!MessageDigest.isEqual(expected, given)) {
            throw new Rejected("the signature does not match the body under this secret");
        }
        forgetOlderThan(now - skew.toSeconds());
        if (seen.putIfAbsent(timestamp + ":" + v1.toLowerCase(), timestamp) != null) {
            throw new Rejected("this delivery was already accepted once (replay)");
        }
    }

    /** The header the platform would send for {@code body} at {@code timestamp}: for tests of receivers. */
    public String sign(long timestamp, byte[] body) {
        return "t=" + timestamp + ",v1=" + HexFormat.of().formatHex(hmac(timestamp, body));
    }

    private byte[] hmac(long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(body);
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private void forgetOlderThan(long oldest) {
        Iterator<Map.Entry<String, Long>> it = seen.entrySet().iterator();
        while (it.hasNext()) {
            if (it.next().getValue() < oldest) {
                it.remove();
            }
        }
    }
}
