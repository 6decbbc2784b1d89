package cn.chuanyu.evidence.relay;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Date;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509KeyManager;

/**
 * The key material of the mutual-TLS link: this node's identity (PKCS#12), the link CA, and the pinned peer
 * certificate. The server trusts the CA (so the handshake checks signature and validity) and then accepts only the
 * pinned certificate ({@link #isPinnedPeer}); the client trusts the pinned certificate alone. Both refuse to start
 * when the pinned certificate was not issued by the link CA or is not valid now.
 */
final class LinkTls {

    private final KeyStore identity;
    private final char[] password;
    private final X509Certificate ca;
    private final X509Certificate peer;

    private LinkTls(KeyStore identity, char[] password, X509Certificate ca, X509Certificate peer) {
        this.identity = identity;
        this.password = password;
        this.ca = ca;
        this.peer = peer;
    }

    static LinkTls load(LinkProperties.Tls tls) {
        if (tls.keystore() == null || tls.peerCertificate() == null || tls.peerCertificate().isBlank()
                || tls.ca() == null || tls.ca().isBlank()) {
            throw new IllegalStateException("two-region mode needs chuanyu.node.tls.keystore, .peer-certificate and "
                    + ".ca (CHUANYU_NODE_TLS_KEYSTORE, CHUANYU_PEER_CERTIFICATE, CHUANYU_LINK_CA)");
        }
        try {
            char[] password = tls.password().toCharArray();
            KeyStore identity = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(tls.keystore())) {
                identity.load(in, password);
            }
            X509Certificate ca = certificate(tls.ca());
            X509Certificate peer = certificate(tls.peerCertificate());
            peer.verify(ca.getPublicKey());
            peer.checkValidity(new Date());
            return new LinkTls(identity, password, ca, peer);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("cannot read the link's TLS material", ex);
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException("the link's TLS material does not hold (is the pinned peer certificate "
                    + "issued by the link CA, and valid now?): " + ex.getMessage(), ex);
        }
    }

    /** PEM text, or the path of a file holding it. */
    static X509Certificate certificate(String pemOrFile) throws IOException, GeneralSecurityException {
        byte[] pem = pemOrFile.strip().startsWith("-----BEGIN") ? pemOrFile.getBytes(StandardCharsets.US_ASCII)
                : Files.readAllBytes(Path.of(pemOrFile.strip()));
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem));
    }

    KeyStore identity() {
        return identity;
    }

    String password() {
        return new String(password);
    }

    /** A trust store of the link CA alone: what the server's handshake checks a client certificate against. */
    KeyStore caTrustStore() {
        return trustStoreOf(ca);
    }

    /** True for exactly the pinned peer certificate (the leaf a client presented). */
    boolean isPinnedPeer(X509Certificate[] chain) {
        return chain != null && chain.length > 0 && chain[0].equals(peer);
    }

    /**
     * The client side: presents this node's certificate, trusts only the pinned peer certificate (the leaf is the
     * trust anchor: another certificate, even from the link CA, fails the handshake).
     */
    SSLContext clientContext() {
        try {
            // SunX509 names keys by their plain keystore alias (the PKIX one prefixes them).
            KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509");
            kmf.init(identity, password);
            X509KeyManager keys = (X509KeyManager) kmf.getKeyManagers()[0];
            String alias = null;
            for (String candidate : java.util.Collections.list(identity.aliases())) {
                if (identity.isKeyEntry(candidate)) {
                    alias = candidate;
                    break;
                }
            }
            if (alias == null) {
                throw new IllegalStateException("the link keystore holds no key");
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trustStoreOf(peer));
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new javax.net.ssl.KeyManager[] {new AlwaysOwnIdentity(keys, alias)}, tmf.getTrustManagers(), null);
            return context;
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException("cannot set up the link's TLS client", ex);
        }
    }

    private static KeyStore trustStoreOf(X509Certificate cert) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("trusted", cert);
            return store;
        }
        catch (IOException | GeneralSecurityException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * Offers this node's one key whatever issuers the server names: the key manager would otherwise withhold it
     * when the server's list does not name its issuer exactly, and the server then sees no certificate at all.
     */
    private static final class AlwaysOwnIdentity extends X509ExtendedKeyManager {

        private final X509KeyManager keys;
        private final String alias;

        AlwaysOwnIdentity(X509KeyManager keys, String alias) {
            this.keys = keys;
            this.alias = alias;
        }

        /** What java.net.http (an SSLEngine) asks; a plain X509KeyManager would answer it with no key at all. */
        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            return alias;
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return new String[] {alias};
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return alias;
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return keys.getServerAliases(keyType, issuers);
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return keys.chooseServerAlias(keyType, issuers, socket);
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return keys.getCertificateChain(alias);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return keys.getPrivateKey(alias);
        }
    }
}
