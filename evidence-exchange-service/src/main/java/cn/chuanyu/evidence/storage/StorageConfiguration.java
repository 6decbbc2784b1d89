package cn.chuanyu.evidence.storage;

import cn.chuanyu.evidence.EvidenceProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class StorageConfiguration {

    /** The file store unless another {@link EvidenceStore} (e.g. an S3-compatible one) is configured. */
    @Bean
    @ConditionalOnMissingBean(EvidenceStore.class)
    FileSystemEvidenceStore fileSystemEvidenceStore(EvidenceProperties properties) {
        return new FileSystemEvidenceStore(properties.storeDir());
    }
}
