package cn.chuanyu.evidence.linkage;

import cn.chuanyu.kit.identity.Caller;
import cn.chuanyu.kit.identity.PrincipalTokens;
import cn.chuanyu.kit.identity.ServiceIdentity;
import cn.chuanyu.kit.web.Correlation;
import feign.RequestInterceptor;
import org.slf4j.MDC;
import org.springframework.cloud.openfeign.EnableFeignClients;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

/** Kept off the application class so MVC test slices do not try to build Feign clients. */
@Configuration(proxyBeanMethods = false)
@EnableFeignClients(clients = CaseTransferClient.class)
class LinkageConfiguration {

    static final String CASE_TRANSFER_SERVICE = "case-transfer-service";

    /**
     * Calls as this service, on behalf of the agency that called us: a token this service signs for this one call,
     * naming the verified caller, so case-transfer-service decides party-ship for that caller. The caller's own
     * token is never passed on (it names this service as its audience and is refused there). Runs on the request
     * thread (the Resilience4j decorators here are synchronous), so the verified caller is at hand; each retry
     * passes through here again and gets a fresh token.
     */
    @Bean
    RequestInterceptor signAsThisServiceForTheCaller(ServiceIdentity identity) {
        return template -> {
            template.removeHeader(PrincipalTokens.HEADER);
            RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
            if (attributes != null && attributes.getAttribute(Caller.REQUEST_ATTRIBUTE,
                    RequestAttributes.SCOPE_REQUEST) instanceof Caller caller) {
                template.header(PrincipalTokens.HEADER, identity.tokenFor(caller, CASE_TRANSFER_SERVICE,
                        template.method(), template.path()));
            }
            String correlationId = MDC.get(Correlation.MDC_KEY);
            if (correlationId != null) {
                template.header(Correlation.HEADER, correlationId);
            }
        };
    }
}
