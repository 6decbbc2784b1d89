package cn.chuanyu.gateway;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.security.auth.x500.X500Principal;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Certificate authorities and certificates made for a test run (EC P-256, valid for a day). */
public final class TestCertificates {

    private static final SecureRandom RANDOM = new SecureRandom();

    private TestCertificates() {
    }

    public record Issued(KeyPair keys, X509Certificate certificate) {

        /** An SSL context presenting this certificate and trusting the given authority. */
        public SSLContext clientContext(X509Certificate trusted) {
            try {
                KeyStore keyStore = KeyStore.getInstance("PKCS12");
                keyStore.load(null, null);
                keyStore.setKeyEntry("client", keys.getPrivate(), new char[0], new X509Certificate[] {certificate});
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keyStore, new char[0]);
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(kmf.getKeyManagers(), trusting(trusted).getTrustManagers(), RANDOM);
                return context;
            }
            catch (Exception ex) {
                throw new IllegalStateException(ex);
            }
        }
    }

    public static Issued authority(String name) {
        KeyPair keys = keyPair();
        return new Issued(keys, sign(x500(name), keys, x500(name), keys, true, null));
    }

    public static Issued server(Issued authority, String host) {
        KeyPair keys = keyPair();
        return new Issued(keys, sign(x500("CN=" + host), keys, name(authority), authority.keys(), false,
                KeyPurposeId.id_kp_serverAuth));
    }

    public static Issued client(Issued authority, String subject) {
        KeyPair keys = keyPair();
        return new Issued(keys, sign(x500(subject), keys, name(authority), authority.keys(), false,
                KeyPurposeId.id_kp_clientAuth));
    }

    public static SSLContext trustingOnly(X509Certificate trusted) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trusting(trusted).getTrustManagers(), RANDOM);
            return context;
        }
        catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    public static Path writeCertificate(Path file, X509Certificate certificate) throws IOException {
        try {
            return Files.writeString(file, pem("CERTIFICATE", certificate.getEncoded()));
        }
        catch (java.security.cert.CertificateEncodingException ex) {
            throw new IllegalStateException(ex);
        }
    }

    public static Path writePrivateKey(Path file, KeyPair keys) throws IOException {
        return Files.writeString(file, pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
    }

    private static TrustManagerFactory trusting(X509Certificate trusted) throws Exception {
        KeyStore trustStore = KeyStore.getInstance("PKCS12");
        trustStore.load(null, null);
        trustStore.setCertificateEntry("ca", trusted);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trustStore);
        return tmf;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static X500Name name(Issued authority) {
        return X500Name.getInstance(authority.certificate().getSubjectX500Principal().getEncoded());
    }

    /** Read as RFC 2253 (most significant last), the way certificates are usually written and shown. */
    private static X500Name x500(String name) {
        return X500Name.getInstance(new X500Principal(name).getEncoded());
    }

    private static KeyPair keyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(256);
            return generator.generateKeyPair();
        }
        catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static X509Certificate sign(X500Name subject, KeyPair subjectKeys, X500Name issuer, KeyPair issuerKeys,
            boolean authority, KeyPurposeId purpose) {
        try {
            Instant now = Instant.now();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer,
                    new BigInteger(64, RANDOM), Date.from(now.minus(Duration.ofMinutes(5))),
                    Date.from(now.plus(Duration.ofDays(1))), subject, subjectKeys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(authority));
            if (purpose != null) {
                builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
            }
            if (purpose == KeyPurposeId.id_kp_serverAuth) {
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.dNSName, "localhost"),
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
            }
            return new JcaX509CertificateConverter().getCertificate(builder.build(
                    new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
        }
        catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }
}
