package cn.chuanyu.kit.identity;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import cn.chuanyu.contracts.AgencyKind;
import cn.chuanyu.contracts.Region;
import cn.chuanyu.contracts.Role;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Principal tokens (Ed25519), one per forwarded request. The gateway issues them for API callers; a service that
 * calls another issues them with its own key, naming itself as issuer and the original caller as the principal.
 * A token is bound to its audience (the receiving service), the request's method and path, and a unique id; it
 * lives {@link #LIFETIME} and a receiver accepts it once. Receivers hold only public keys: they can check a token but
 * never mint one. Format: {@code base64url("cy2|iss|aud|method|jti|iat|exp|id|role|region|kind|path") "."
 * base64url(signature)}; the path goes last, so it is the only field that may contain anything.
 */
public final class PrincipalTokens {

    /** Request header a principal token travels in; the gateway strips clients' copies. */
    public static final String HEADER = "X-Chuanyu-Principal";

    /** The gateway's issuer name. */
    public static final String GATEWAY = "gateway";

    /** How long an issued token lives: long enough to cross one hop, short enough that revocation is immediate. */
    public static final Duration LIFETIME = Duration.ofSeconds(30);

    /** Clock difference tolerated between issuer and receiver (both run NTP). */
    public static final Duration CLOCK_SKEW = Duration.ofSeconds(5);

    /** Refused whatever its signature: no issuer may hand out tokens that live longer. */
    static final Duration MAX_LIFETIME = Duration.ofSeconds(60);

    private static final String VERSION = "cy2";
    private static final int FIELDS = 12;
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();
    private static final int MAX_TOKEN_LENGTH = 4096;

    private PrincipalTokens() {
    }

    /**
     * What a token asserts.
     *
     * @param issuer   who signed it: {@link #GATEWAY} or a service's name
     * @param audience the service it is for
     * @param method   the HTTP method of the one request it is for
     * @param path     that request's raw path (no query)
     * @param id       unique per token; a receiver accepts each id once
     * @param caller   the original caller (for a service's token too)
     */
    public record Claims(String issuer, String audience, String method, String path, String id, Instant issued,
            Instant expires, Caller caller) {

        String encode() {
            return String.join("|", VERSION, issuer, audience, method, id,
                    Long.toString(issued.getEpochSecond()), Long.toString(expires.getEpochSecond()),
                    caller.id(), caller.role().name(),
                    caller.region() == null ? "" : caller.region().name(),
                    caller.kind() == null ? "" : caller.kind().name(), path);
        }

        static Claims decode(String text) {
            String[] f = text.split("\\|", FIELDS);
            if (f.length != FIELDS || !VERSION.equals(f[0])) {
                throw new InvalidPrincipalException("malformed principal token");
            }
            try {
                Caller caller = new Caller(f[7], Role.valueOf(f[8]), f[9].isEmpty() ? null : Region.valueOf(f[9]),
                        f[10].isEmpty() ? null : AgencyKind.valueOf(f[10]));
                return new Claims(f[1], f[2], f[3], f[11], f[4], Instant.ofEpochSecond(Long.parseLong(f[5])),
                        Instant.ofEpochSecond(Long.parseLong(f[6])), caller);
            }
            catch (IllegalArgumentException ex) {
                throw new InvalidPrincipalException("malformed principal token");
            }
        }
    }

    /** What a receiver learns from a token it accepted. */
    public record Verified(Caller caller, String issuer) {

        /** True when another service (not the gateway) calls on the caller's behalf. */
        public boolean fromService() {
            return !GATEWAY.equals(issuer);
        }
    }

    public static String sign(Claims claims, PrivateKey key) {
        for (String field : new String[] {claims.issuer(), claims.audience(), claims.method(), claims.id()}) {
            if (field == null || field.isEmpty() || field.indexOf('|') >= 0) {
                throw new IllegalArgumentException("issuer, audience, method and id must be non-empty, without '|'");
            }
        }
        byte[] body = claims.encode().getBytes(StandardCharsets.UTF_8);
        try {
            return B64.encodeToString(body) + "." + B64.encodeToString(Ed25519Signatures.sign(key, body));
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException("cannot sign principal token", ex);
        }
    }

    /**
     * Signs a fresh token for every request. Nothing is reused: a token names its request, and a reused one would
     * be refused as a replay. (An Ed25519 signature costs about 0.1 ms of CPU with Ed25519Signatures.)
     */
    public static final class Issuer {

        private final String name;
        private final PrivateKey key;

        public Issuer(String name, PrivateKey key) {
            this.name = name;
            this.key = key;
        }

        public String tokenFor(Caller caller, String audience, String method, String path, Instant now) {
            return sign(new Claims(name, audience, method, path, UUID.randomUUID().toString(), now,
                    now.plus(LIFETIME), caller), key);
        }
    }

    /**
     * A receiving service's side. Accepts a token only if a trusted issuer signed it, it names this service, this
     * request's method and path, it is current (within {@link #CLOCK_SKEW}), and its id has not been seen. Seen ids
     * are kept per instance in memory until the token could no longer be accepted anyway, up to
     * {@value #MAX_SEEN_IDS}: beyond that (over ~5,000 requests a second on one instance) the oldest ids may be
     * forgotten early and a replay inside the token's life could pass.
     */
    public static final class Verifier {

        static final int MAX_SEEN_IDS = 200_000;

        private final String audience;
        private final Function<String, PublicKey> issuerKeys;
        private final Cache<String, Boolean> seen = Caffeine.newBuilder()
                .maximumSize(MAX_SEEN_IDS)
                .expireAfterWrite(MAX_LIFETIME.plus(CLOCK_SKEW.multipliedBy(2)))
                .build();

        /**
         * @param audience   this service's name
         * @param issuerKeys the public key of each trusted issuer, null for an unknown one
         */
        public Verifier(String audience, Function<String, PublicKey> issuerKeys) {
            this.audience = audience;
            this.issuerKeys = issuerKeys;
        }

        public Verifier(String audience, Map<String, PublicKey> issuerKeys) {
            this(audience, issuerKeys::get);
        }

        public Verified verify(String token, String method, String path, Instant now) {
            Claims claims = checkSignature(token, issuerKeys);
            if (!audience.equals(claims.audience())) {
                throw new InvalidPrincipalException("principal token is for " + claims.audience() + ", not "
                        + audience);
            }
            if (!claims.method().equals(method) || !claims.path().equals(path)) {
                throw new InvalidPrincipalException("principal token is for another request");
            }
            if (now.isAfter(claims.expires().plus(CLOCK_SKEW)) || claims.issued().isAfter(now.plus(CLOCK_SKEW))
                    || Duration.between(claims.issued(), claims.expires()).compareTo(MAX_LIFETIME) > 0) {
                throw new InvalidPrincipalException("principal token expired");
            }
            if (seen.asMap().putIfAbsent(claims.issuer() + "|" + claims.id(), Boolean.TRUE) != null) {
                throw new InvalidPrincipalException("principal token was already used");
            }
            return new Verified(claims.caller(), claims.issuer());
        }
    }

    private static Claims checkSignature(String token, Function<String, PublicKey> issuerKeys) {
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
        // Parsed before the signature is checked only to pick the issuer's key; nothing else is trusted yet.
        Claims claims = Claims.decode(new String(body, StandardCharsets.UTF_8));
        PublicKey key = issuerKeys.apply(claims.issuer());
        if (key == null) {
            throw new InvalidPrincipalException("principal token issuer is not trusted here");
        }
        try {
            if (!Ed25519Signatures.verify(key, body, signature)) {
                throw new InvalidPrincipalException("principal token signature is not its issuer's");
            }
        }
        catch (GeneralSecurityException ex) {
            throw new InvalidPrincipalException("principal token signature is not its issuer's");
        }
        return claims;
    }
}
