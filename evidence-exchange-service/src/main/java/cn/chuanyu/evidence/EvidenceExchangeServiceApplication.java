package cn.chuanyu.evidence;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class EvidenceExchangeServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(EvidenceExchangeServiceApplication.class, args);
    }
}
