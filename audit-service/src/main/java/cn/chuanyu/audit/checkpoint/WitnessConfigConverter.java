package cn.chuanyu.audit.checkpoint;

import org.springframework.boot.context.properties.ConfigurationPropertiesBinding;
import org.springframework.core.convert.converter.Converter;
import org.springframework.stereotype.Component;

/** Lets {@code CHUANYU_AUDIT_WITNESSES} list witnesses as comma-separated {@code <verifier key>@<url>}. */
@Component
@ConfigurationPropertiesBinding
class WitnessConfigConverter implements Converter<String, WitnessingProperties.WitnessConfig> {

    @Override
    public WitnessingProperties.WitnessConfig convert(String source) {
        return WitnessingProperties.WitnessConfig.of(source);
    }
}
