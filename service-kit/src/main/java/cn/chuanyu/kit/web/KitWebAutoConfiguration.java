package cn.chuanyu.kit.web;

import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import cn.chuanyu.kit.db.KitSchema;
import cn.chuanyu.kit.identity.Ed25519Keys;
import cn.chuanyu.kit.identity.PrincipalTokens;
import cn.chuanyu.kit.identity.ServiceIdentity;
import cn.chuanyu.kit.identity.TrustedServices;
import cn.chuanyu.kit.keys.KeyFiles;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.http.converter.HttpMessageConverters;
import org.springframework.http.converter.json.JacksonJsonHttpMessageConverter;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.cfg.EnumFeature;
import tools.jackson.databind.type.LogicalType;

/**
 * Servlet services only: the gateway-principal check, the {@code Caller} argument, problem+json errors, and the
 * request rules every API follows: unknown query parameters are refused ({@link QueryParameters}), a JSON body's
 * problems are all named in one answer ({@link JsonBodyBinder}), lists page alike ({@link Paging}).
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@Import(ProblemHandler.class)
@EnableConfigurationProperties(IdempotencyProperties.class)
public class KitWebAutoConfiguration {

    /**
     * Tokens must name this service ({@code chuanyu.identity.audience}, by default the application's name) and come
     * from the gateway or a service in {@code chuanyu.identity.trusted-services}.
     */
    @Bean
    FilterRegistrationBean<GatewayPrincipalFilter> gatewayPrincipalFilter(
            @Value("${chuanyu.identity.gateway-public-key}") String publicKey,
            @Value("${chuanyu.identity.audience:${spring.application.name}}") String audience,
            Environment environment, Clock clock) {
        PublicKey gatewayKey = Ed25519Keys.publicKey(Ed25519Keys.inlineOrFile(publicKey));
        TrustedServices services = new TrustedServices(Binder.get(environment)
                .bind("chuanyu.identity.trusted-services", Bindable.mapOf(String.class, TrustedServices.Trusted.class))
                .orElse(Map.of()));
        var verifier = new PrincipalTokens.Verifier(audience,
                issuer -> PrincipalTokens.GATEWAY.equals(issuer) ? gatewayKey : services.keyOf(issuer));
        var registration = new FilterRegistrationBean<>(new GatewayPrincipalFilter(verifier, services, clock));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }

    /** Only for a service that calls another on callers' behalf: it names where its key pair lives. */
    @Bean
    @ConditionalOnProperty("chuanyu.identity.service-key-file")
    ServiceIdentity serviceIdentity(@Value("${spring.application.name}") String name,
            @Value("${chuanyu.identity.service-key-file}") String keyFile, Clock clock) {
        return new ServiceIdentity(name, KeyFiles.serviceKeyPair(Path.of(keyFile)), clock);
    }

    /** After the principal check (an unauthenticated caller learns nothing about parameters), before anything reads
     * a parameter. */
    @Bean
    FilterRegistrationBean<QueryStringFilter> queryStringFilter() {
        var registration = new FilterRegistrationBean<>(new QueryStringFilter());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 12);
        return registration;
    }

    @Bean
    FilterRegistrationBean<JsonBodyLimitFilter> jsonBodyLimitFilter(
            @Value("${chuanyu.web.max-json-body-bytes:262144}") long limit) {
        var registration = new FilterRegistrationBean<>(new JsonBodyLimitFilter(limit));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 15);
        return registration;
    }

    @Bean
    FilterRegistrationBean<IdempotencyFilter> idempotencyFilter(JdbcClient jdbc, PlatformTransactionManager txManager,
            @Value("${chuanyu.web.max-json-body-bytes:262144}") long limit, IdempotencyProperties props) {
        var registration = new FilterRegistrationBean<>(new IdempotencyFilter(jdbc, txManager, limit, props.ttl()));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
        return registration;
    }

    @Bean
    IdempotencyRecordPurge idempotencyRecordPurge(KitSchema schema, JdbcClient jdbc, IdempotencyProperties props) {
        return new IdempotencyRecordPurge(jdbc, props);
    }

    /**
     * Requests are contracts: a number or boolean where text is expected, a number for an enum, or a key given
     * twice is a client error, not something to guess at.
     */
    @Bean
    JsonMapperBuilderCustomizer strictRequestJson() {
        return builder -> builder
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(EnumFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .withCoercionConfig(LogicalType.Textual, config -> config
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail));
    }

    @Bean
    WebMvcConfigurer callerArgument() {
        return new WebMvcConfigurer() {
            @Override
            public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
                resolvers.add(new CallerArgumentResolver());
            }
        };
    }

    @Bean
    WebMvcConfigurer requestRules(ObjectProvider<jakarta.validation.Validator> validator) {
        return new WebMvcConfigurer() {
            @Override
            public void addInterceptors(InterceptorRegistry registry) {
                registry.addInterceptor(new UnknownQueryParameterInterceptor());
            }

            /** Spring's JSON converter, with the mapper Boot configured, reading bodies field by field. */
            @Override
            public void configureMessageConverters(HttpMessageConverters.ServerBuilder builder) {
                builder.configureMessageConvertersList(converters -> converters.replaceAll(converter ->
                        converter.getClass() == JacksonJsonHttpMessageConverter.class
                                ? new StrictJsonHttpMessageConverter(
                                        ((JacksonJsonHttpMessageConverter) converter).getMapper(),
                                        validator.getIfAvailable())
                                : converter));
            }
        };
    }

    /**
     * Tomcat's own error answers (a path it refuses before any filter runs) as problem+json: replaces the error
     * report valve Boot puts on the host, so runs after Boot's customizer.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory")
    static class TomcatProblems {

        @Bean
        WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorReports() {
            return new ProblemErrorReports();
        }
    }

    static final class ProblemErrorReports
            implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

        @Override
        public void customize(TomcatServletWebServerFactory factory) {
            factory.addContextCustomizers(context -> {
                var host = (StandardHost) context.getParent();
                for (var valve : host.getPipeline().getValves()) {
                    if (valve instanceof ErrorReportValve) {
                        host.getPipeline().removeValve(valve);
                    }
                }
                host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
                host.getPipeline().addValve(new ProblemErrorReportValve());
            });
        }

        @Override
        public int getOrder() {
            return Ordered.LOWEST_PRECEDENCE;
        }
    }

    /** The paging rules in every operation that pages: limit's range and default, what a cursor is. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springdoc.core.customizers.ParameterCustomizer")
    static class PagingApiDocs {

        @Bean
        org.springdoc.core.customizers.ParameterCustomizer pagingParameters() {
            return (parameter, methodParameter) -> {
                if (parameter == null || !"query".equals(parameter.getIn()) || !paged(methodParameter)) {
                    return parameter;
                }
                if (Paging.LIMIT.equals(parameter.getName())) {
                    parameter.description(Paging.LIMIT_DESCRIPTION).schema(
                            new io.swagger.v3.oas.models.media.IntegerSchema().format("int32")
                                    .minimum(java.math.BigDecimal.ONE)
                                    .maximum(java.math.BigDecimal.valueOf(Paging.MAX_LIMIT))
                                    ._default(Paging.DEFAULT_LIMIT));
                }
                else if (Paging.CURSOR.equals(parameter.getName())) {
                    parameter.description(Paging.CURSOR_DESCRIPTION);
                }
                return parameter;
            };
        }

        /** Only this project's handlers: every limit and cursor there follows the paging rules. */
        private static boolean paged(MethodParameter parameter) {
            return parameter != null && QueryParameters.appliesTo(parameter.getContainingClass());
        }
    }
}
