package cn.chuanyu.evidence.linkage;

import cn.chuanyu.kit.identity.PrincipalTokens;
import cn.chuanyu.kit.web.Correlation;
import feign.RequestInterceptor;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.MDC;
import org.springframework.cloud.openfeign.EnableFeignClients;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/** Kept off the application class so MVC test slices do not try to build Feign clients. */
@Configuration(proxyBeanMethods = false)
@EnableFeignClients(clients = CaseTransferClient.class)
class LinkageConfiguration {

    /**
     * Calls on behalf of the agency that called us: case-transfer-service accepts only principals the gateway
     * signed, and decides party-ship for that caller. The token lives 60 s, far longer than this call. Runs on the
     * request thread (the Resilience4j decorators here are synchronous), so the request is at hand.
     */
    @Bean
    RequestInterceptor forwardPrincipalAndCorrelation() {
        return template -> {
            if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
                HttpServletRequest request = attributes.getRequest();
                String principal = request.getHeader(PrincipalTokens.HEADER);
                if (principal != null) {
                    template.header(PrincipalTokens.HEADER, principal);
                }
            }
            String correlationId = MDC.get(Correlation.MDC_KEY);
            if (correlationId != null) {
                template.header(Correlation.HEADER, correlationId);
            }
        };
    }
}
