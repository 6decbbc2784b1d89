package cn.chuanyu.audit.bundle;

import cn.chuanyu.kit.identity.Caller;
import cn.chuanyu.kit.identity.PrincipalTokens;
import cn.chuanyu.kit.identity.ServiceIdentity;
import cn.chuanyu.kit.web.Correlation;
import feign.RequestInterceptor;
import org.slf4j.MDC;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.openfeign.EnableFeignClients;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

/** Kept off the application class so test slices do not try to build Feign clients. */
@Configuration(proxyBeanMethods = false)
@EnableFeignClients(clients = {ExchangeServiceClients.EvidenceService.class,
    ExchangeServiceClients.CaseTransferService.class})
class BundleClientConfiguration {

    /**
     * Calls as audit-service on behalf of the caller of the bundle: a token this service signs for this one call,
     * naming the verified caller, so the other service applies its own party rules to that caller (an auditor
     * cannot read a manifest there, so its bundle says so in {@code omissions}). The caller's own token is never
     * passed on. Without a service identity ({@code chuanyu.identity.service-key-file}) nothing is signed and the
     * other service refuses, which the bundle reports.
     */
    @Bean
    RequestInterceptor signAsAuditServiceForTheCaller(ObjectProvider<ServiceIdentity> identity) {
        return template -> {
            template.removeHeader(PrincipalTokens.HEADER);
            ServiceIdentity self = identity.getIfAvailable();
            RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
            if (self != null && attributes != null && attributes.getAttribute(Caller.REQUEST_ATTRIBUTE,
                    RequestAttributes.SCOPE_REQUEST) instanceof Caller caller) {
                template.header(PrincipalTokens.HEADER, self.tokenFor(caller, template.feignTarget().name(),
                        template.method(), template.path()));
            }
            String correlationId = MDC.get(Correlation.MDC_KEY);
            if (correlationId != null) {
                template.header(Correlation.HEADER, correlationId);
            }
        };
    }
}
