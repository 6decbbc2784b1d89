package cn.chuanyu.evidence;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(EvidenceProperties.class)
class EvidenceConfiguration {

    /**
     * Item file names travel as one path segment. Tomcat would refuse an encoded {@code /} or {@code \} with a bare
     * 400 page; passing them through lets the API answer with a problem that names {@code fileName}.
     */
    @Bean
    TomcatConnectorCustomizer encodedSeparatorsReachTheApi() {
        return connector -> {
            connector.setEncodedSolidusHandling("passthrough");
            connector.setEncodedReverseSolidusHandling("passthrough");
            // Answer "Expect: 100-continue" only when a handler starts reading: a refused upload (404, 409...)
            // is answered before the client sends gigabytes.
            connector.setProperty("continueResponseTiming", "onRead");
        };
    }
}
