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
        if (token == null || token.isBlank()) {
            throw new InvalidPrincipalException("request did not come through the gateway (no principal)");
        }
        int dot = token.indexOf('.');
        if (dot <= 0 || dot != token.lastIndexOf('.') || token.length() > 1024) {
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
            Instant issued = Instant.ofEpochSecond(Long.parseLong(f[5]));
            Instant expires = Instant.ofEpochSecond(Long.parseLong(f[6]));
            if (now.isAfter(expires.plus(CLOCK_SKEW)) || issued.isAfter(now.plus(CLOCK_SKEW))) {
                throw new InvalidPrincipalException("principal token expired");
            }
            return new Caller(f[1], Role.valueOf(f[2]), f[3].isEmpty() ? null : Region.valueOf(f[3]),
                    f[4].isEmpty() ? null : AgencyKind.valueOf(f[4]));
        }
        catch (IllegalArgumentException ex) {
            throw new InvalidPrincipalException("malformed principal token");
        }
    }
}
