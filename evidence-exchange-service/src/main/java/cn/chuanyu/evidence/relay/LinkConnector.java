package cn.chuanyu.evidence.relay;

import org.apache.catalina.connector.Connector;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;

/**
 * Adds the https connector of the link beside the normal port: TLS 1.3 only, a client certificate required and
 * checked against the link CA in the handshake ({@link LinkPathFilter} then admits only the pinned one).
 */
final class LinkConnector implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

    private static final Logger log = LoggerFactory.getLogger(LinkConnector.class);

    private final LinkProperties.Tls tls;
    private final LinkTls material;

    LinkConnector(LinkProperties.Tls tls, LinkTls material) {
        this.tls = tls;
        this.material = material;
    }

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        Connector connector = new Connector(TomcatServletWebServerFactory.DEFAULT_PROTOCOL);
        connector.setPort(tls.port());
        connector.setScheme("https");
        connector.setSecure(true);
        connector.setProperty("address", tls.address());
        connector.setProperty("SSLEnabled", "true");
        SSLHostConfig ssl = new SSLHostConfig();
        ssl.setProtocols("TLSv1.3");
        ssl.setCertificateVerification("required");
        ssl.setTrustStore(material.caTrustStore());
        SSLHostConfigCertificate certificate = new SSLHostConfigCertificate(ssl, SSLHostConfigCertificate.Type.UNDEFINED);
        certificate.setCertificateKeystore(material.identity());
        certificate.setCertificateKeystorePassword(material.password());
        certificate.setCertificateKeyPassword(material.password());
        ssl.addCertificate(certificate);
        connector.addSslHostConfig(ssl);
        factory.addAdditionalConnectors(connector);
        log.info("link content connector: https://{}:{} (mutual TLS, pinned peer only)", tls.address(), tls.port());
    }
}
