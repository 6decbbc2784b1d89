package cn.chuanyu.evidence.signing;

import cn.chuanyu.evidence.EvidenceProperties;
import cn.chuanyu.kit.crypto.CryptoProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class SigningConfiguration {

    @Bean
    EvidenceSigningKey evidenceSigningKey(EvidenceProperties properties, CryptoProperties crypto) {
        return EvidenceSigningKey.loadOrCreate(properties.signingKeyFile(), crypto);
    }
}
