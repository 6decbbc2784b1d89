package cn.chuanyu.kit.identity;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import cn.chuanyu.contracts.AgencyKind;
import cn.chuanyu.contracts.Region;
import cn.chuanyu.contracts.Role;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Short-lived principal tokens the gateway signs (Ed25519) and services verify. Services hold only the public
 * key, so a service can check a caller but never mint one. Format:
 * {@code base64url("cy1|id|role|region|kind|issuedAt|expiresAt") "." base64url(signature)}.
 */
public final class PrincipalTokens {

    /** Request header the gateway puts the token in; clients' copies are always stripped. */
    public static final String HEADER = "X-Chuanyu-Principal";

    private static final String VERSION = "cy1";
    private static final Duration CLOCK_SKEW = Duration.ofSeconds(30);
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();
    private static final int MAX_TOKEN_LENGTH = 1024;

    private PrincipalTokens() {
    }

    public static String sign(Caller caller, PrivateKey key, Instant now, Duration ttl) {
        String claims = String.join("|", VERSION, caller.id(), caller.role().name(),
                caller.region() == null ? "" : caller.region().name(),
                caller.kind() == null ? "" : caller.kind().name(),
                Long.toString(now.getEpochSecond()), Long.toString(now.plus(ttl).getEpochSecond()));
        byte[] body = claims.getBytes(StandardCharsets.UTF_8);
        try {
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(key);
            signer.update(body);
            return B64.encodeToString(body) + "." + B64.encodeToString(signer.sign());
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException("cannot sign principal token", ex);
        }
    }

    public static Caller verify(String token, PublicKey key, Instant now) {
        Claims claims = checkSignature(token, key);
        claims.requireCurrent(now);
        return claims.caller();
    }

    /** What a token with a valid signature says: its caller and when it is valid. */
    private record Claims(Caller caller, Instant issued, Instant expires) {

        void requireCurrent(Instant now) {
            if (now.isAfter(expires.plus(CLOCK_SKEW)) || issued.isAfter(now.plus(CLOCK_SKEW))) {
                throw new InvalidPrincipalException("principal token expired");
            }
        }
    }

    private static Claims checkSignature(String token, PublicKey key) {
        if (token == null || token.isBlank()) {
            throw new InvalidPrincipalException("request did not come through the gateway (no principal)");
        }
        int dot = token.indexOf('.');
        if (dot <= 0 || dot != token.lastIndexOf('.') || token.length() > MAX_TOKEN_LENGTH) {
            throw new InvalidPrincipalException("malformed principal token");
        }
        byte[] body;
        byte[] signature;
        try {
            body = B64D.decode(token.substring(0, dot));
            signature = B64D.decode(token.substring(dot + 1));
        }
        catch (IllegalArgumentException ex) {
            throw new InvalidPrincipalException("malformed principal token");
        }
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key);
            verifier.update(body);
            if (!verifier.verify(signature)) {
                throw new InvalidPrincipalException("principal token signature is not the gateway's");
            }
        }
        catch (GeneralSecurityException ex) {
            throw new InvalidPrincipalException("principal token signature is not the gateway's");
        }
        String[] f = new String(body, StandardCharsets.UTF_8).split("\\|", -1);
        if (f.length != 7 || !VERSION.equals(f[0])) {
            throw new InvalidPrincipalException("malformed principal token");
        }
        try {
            return new Claims(new Caller(f[1], Role.valueOf(f[2]), f[3].isEmpty() ? null : Region.valueOf(f[3]),
                    f[4].isEmpty() ? null : AgencyKind.valueOf(f[4])),
                    Instant.ofEpochSecond(Long.parseLong(f[5])), Instant.ofEpochSecond(Long.parseLong(f[6])));
        }
        catch (IllegalArgumentException ex) {
            throw new InvalidPrincipalException("malformed principal token");
        }
    }

    /**
     * The gateway's side: hands out one signed token per caller and signs a new one only when half its lifetime
     * has passed. An Ed25519 signature costs milliseconds of CPU in the JDK's implementation, more than the rest
     * of a forwarded request; a token names only the caller, never the request, so reusing it for a while changes
     * nothing a service checks.
     */
    public static final class Signer {

        private final PrivateKey key;
        private final Duration ttl;
        private final Cache<Caller, Signed> tokens;

        public Signer(PrivateKey key, Duration ttl) {
            this.key = key;
            this.ttl = ttl;
            this.tokens = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(ttl.dividedBy(2)).build();
        }

        public String tokenFor(Caller caller, Instant now) {
            Signed signed = tokens.getIfPresent(caller);
            if (signed == null || now.isAfter(signed.renewAfter()) || now.isBefore(signed.issued())) {
                signed = new Signed(sign(caller, key, now, ttl), now, now.plus(ttl.dividedBy(2)));
                tokens.put(caller, signed);
            }
            return signed.token();
        }

        private record Signed(String token, Instant issued, Instant renewAfter) {
        }
    }

    /**
     * A service's side: checks each distinct token's signature once and remembers what it said, so the gateway's
     * reused tokens cost one verification each; every use still checks the token's validity period.
     */
    public static final class Verifier {

        private final PublicKey key;
        private final Cache<String, Claims> verified = Caffeine.newBuilder()
                .maximumSize(100_000)
                .expireAfterWrite(Duration.ofMinutes(2)) // longer than any token lives, skew included
                .build();

        public Verifier(PublicKey key) {
            this.key = key;
        }

        public Caller verify(String token, Instant now) {
            Claims claims = token == null ? null : verified.getIfPresent(token);
            if (claims == null) {
                claims = checkSignature(token, key);
                verified.put(token, claims);
            }
            claims.requireCurrent(now);
            return claims.caller();
        }
    }
}
