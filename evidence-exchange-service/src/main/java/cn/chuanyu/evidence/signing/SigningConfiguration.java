package cn.chuanyu.evidence.signing;

import cn.chuanyu.evidence.EvidenceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class SigningConfiguration {

    @Bean
    EvidenceSigningKey evidenceSigningKey(EvidenceProperties properties) {
        return EvidenceSigningKey.loadOrCreate(properties.signingKeyFile());
    }
}
