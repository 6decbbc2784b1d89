package cn.chuanyu.casetransfer;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class CaseTransferServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(CaseTransferServiceApplication.class, args);
    }
}
