package cn.chuanyu.evidence.storage;

import cn.chuanyu.evidence.EvidenceProperties;
import cn.chuanyu.kit.crypto.CryptoProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class StorageConfiguration {

    /** The file store unless another {@link EvidenceStore} (e.g. an S3-compatible one) is configured. */
    @Bean
    @ConditionalOnMissingBean(EvidenceStore.class)
    FileSystemEvidenceStore fileSystemEvidenceStore(EvidenceProperties properties, CryptoProperties crypto) {
        // SM3 beside SHA-256 is part of the SM2/SM3 suite: computed (and checked) only while it is on.
        return new FileSystemEvidenceStore(properties.storeDir(), crypto.sm2Enabled());
    }
}
