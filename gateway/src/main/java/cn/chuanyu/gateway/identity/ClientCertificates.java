package cn.chuanyu.gateway.identity;

import java.security.cert.X509Certificate;
import java.util.Optional;

import javax.security.auth.x500.X500Principal;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.SslInfo;
import org.springframework.stereotype.Component;

/**
 * Mutual TLS: the TLS handshake (client-auth want, trust = the agencies' CA) has already verified the chain; this
 * only reads the subject of the verified leaf certificate. Subjects are compared in the canonical RFC 2253 form,
 * so case and spacing of the registered subject do not matter.
 */
@Component
class ClientCertificates {

    private final boolean enabled;

    ClientCertificates(@Value("${chuanyu.gateway.mtls.enabled:false}") boolean enabled) {
        this.enabled = enabled;
    }

    boolean enabled() {
        return enabled;
    }

    Optional<String> verifiedSubject(ServerHttpRequest request) {
        SslInfo ssl = request.getSslInfo();
        if (ssl == null || ssl.getPeerCertificates() == null || ssl.getPeerCertificates().length == 0) {
            return Optional.empty();
        }
        X509Certificate leaf = ssl.getPeerCertificates()[0];
        return Optional.of(leaf.getSubjectX500Principal().getName(X500Principal.CANONICAL));
    }

    /** The subject as an operator registers it, normalised; throws IllegalArgumentException if it is no DN. */
    static X500Principal parse(String subject) {
        X500Principal principal = new X500Principal(subject);
        if (principal.getName().isEmpty()) {
            throw new IllegalArgumentException("empty distinguished name");
        }
        return principal;
    }
}
