package cn.chuanyu.witness;

import java.time.Clock;

import cn.chuanyu.kit.crypto.CryptoProperties;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * An independent witness of the audit log (C2SP tlog-witness): its own process, key and state, so that whoever
 * holds the log's host and key still cannot show two histories, or a history rolled back, without a witness
 * refusing to cosign.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableConfigurationProperties(CryptoProperties.class) // the kit's auto-configuration, which binds it, is off here
public class WitnessApplication {

    public static void main(String[] args) {
        SpringApplication.run(WitnessApplication.class, args);
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
