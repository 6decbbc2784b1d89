package cn.chuanyu.witness.cosign;

import org.springframework.boot.context.properties.ConfigurationPropertiesBinding;
import org.springframework.core.convert.converter.Converter;
import org.springframework.stereotype.Component;

/** Lets {@code WITNESS_LOGS} list the logs as comma-separated verifier keys. */
@Component
@ConfigurationPropertiesBinding
class WitnessedLogConverter implements Converter<String, WitnessProperties.WitnessedLog> {

    @Override
    public WitnessProperties.WitnessedLog convert(String source) {
        return WitnessProperties.WitnessedLog.of(source);
    }
}
