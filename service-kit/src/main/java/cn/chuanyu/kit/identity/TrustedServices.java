package cn.chuanyu.kit.identity;

import java.security.PublicKey;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * The services this one accepts calls from (besides the gateway), each with its public key and the only requests it
 * may make on a caller's behalf, e.g. {@code GET /api/v1/case-transfers/*}. Configured as
 * {@code chuanyu.identity.trusted-services.<service>.public-key} (PEM, base64 DER or {@code file:<path>}) and
 * {@code .allowed}. A key file is read when first needed: the calling service makes its key on its own first start,
 * which may come after this one's.
 */
public final class TrustedServices {

    /** One trusted service as configured. */
    public record Trusted(String publicKey, List<String> allowed) {
    }

    private record Rule(String method, PathPattern path) {
    }

    private final Map<String, Trusted> configured;
    private final Map<String, List<Rule>> rules;
    private final Map<String, PublicKey> keys = new ConcurrentHashMap<>();

    public TrustedServices(Map<String, Trusted> configured) {
        this.configured = Map.copyOf(configured);
        this.rules = configured.entrySet().stream().collect(Collectors.toUnmodifiableMap(Map.Entry::getKey,
                entry -> entry.getValue().allowed() == null ? List.of()
                        : entry.getValue().allowed().stream().map(TrustedServices::rule).toList()));
        if (configured.containsKey(PrincipalTokens.GATEWAY)) {
            throw new IllegalArgumentException("the gateway is not a trusted service; its key is gateway-public-key");
        }
    }

    public static TrustedServices none() {
        return new TrustedServices(Map.of());
    }

    /** The service's public key, or null if it is not trusted here or its key is not there yet. */
    public PublicKey keyOf(String service) {
        Trusted trusted = configured.get(service);
        if (trusted == null || trusted.publicKey() == null) {
            return null;
        }
        return keys.computeIfAbsent(service, name -> {
            try {
                return Ed25519Keys.publicKey(Ed25519Keys.inlineOrFile(trusted.publicKey()));
            }
            catch (RuntimeException ex) {
                return null; // not made yet: refused now, read again on the next call
            }
        });
    }

    /** Throws {@link InvalidPrincipalException} unless the service may make this request for a caller. */
    public void requireAllowed(String service, String method, String rawPath) {
        PathContainer path = PathContainer.parsePath(rawPath);
        boolean allowed = rules.getOrDefault(service, List.of()).stream()
                .anyMatch(rule -> rule.method().equals(method) && rule.path().matches(path));
        if (!allowed) {
            throw new InvalidPrincipalException(service + " may not call " + method + " " + rawPath
                    + " on a caller's behalf");
        }
    }

    private static Rule rule(String text) {
        String[] parts = text.trim().split("\\s+", 2);
        if (parts.length != 2) {
            throw new IllegalArgumentException("allowed request must read '<METHOD> <path pattern>': " + text);
        }
        return new Rule(parts[0], PathPatternParser.defaultInstance.parse(parts[1]));
    }
}
