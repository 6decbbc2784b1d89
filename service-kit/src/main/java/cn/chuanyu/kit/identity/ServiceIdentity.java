package cn.chuanyu.kit.identity;

import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Clock;

/**
 * This service's own identity for calls to another service on a caller's behalf: it signs each call's principal
 * token with its own key (issuer = its name, principal = the original caller), never replaying the token it was
 * called with. The key pair is made on first start ({@code chuanyu.identity.service-key-file}); the public half,
 * written beside it, is what the called service trusts ({@link TrustedServices}).
 */
public final class ServiceIdentity {

    private final String name;
    private final PublicKey publicKey;
    private final PrincipalTokens.Issuer tokens;
    private final Clock clock;

    public ServiceIdentity(String name, KeyPair keys, Clock clock) {
        this.name = name;
        this.publicKey = keys.getPublic();
        this.tokens = new PrincipalTokens.Issuer(name, keys.getPrivate());
        this.clock = clock;
        // Once at start: the first Ed25519 signature sets up the JDK's provider, which the first caller should not
        // wait for (its call to the other service has a tight time budget).
        tokens.tokenFor(new Caller(name, cn.chuanyu.contracts.Role.OPERATOR, null, null), name, "GET", "/",
                clock.instant());
    }

    public String name() {
        return name;
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    /** A token for one call: to {@code service}, with this method and raw path, on behalf of {@code caller}. */
    public String tokenFor(Caller caller, String service, String method, String rawPath) {
        return tokens.tokenFor(caller, service, method, rawPath, clock.instant());
    }
}
