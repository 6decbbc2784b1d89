package cn.chuanyu.gateway.edge;

import java.util.List;
import java.util.Map;

import cn.chuanyu.kit.web.FieldProblem;
import cn.chuanyu.kit.web.InvalidRequestException;
import cn.chuanyu.kit.web.JsonBodyBinder;
import cn.chuanyu.kit.web.QueryParameters;
import cn.chuanyu.kit.web.QueryStrings;
import jakarta.validation.Validator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.http.codec.CodecCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.ResolvableType;
import org.springframework.core.annotation.Order;
import org.springframework.core.codec.DecodingException;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.codec.json.JacksonJsonDecoder;
import org.springframework.util.MimeType;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The request rules of the services' kit, for the gateway's own API (the agency admin API; proxied requests are
 * checked by the service they go to). The gateway is reactive, so it cannot use the kit's servlet interceptor and
 * message converter; it applies the same framework-neutral rules ({@link QueryParameters}, {@link JsonBodyBinder})
 * through a web filter and a JSON decoder. {@link GatewayProblems} answers with the same problem.
 */
@Configuration(proxyBeanMethods = false)
class RequestRules {

    /** Boot's JSON decoder (same mapper), reading request bodies field by field; after Boot's own customizer. */
    @Bean
    @Order(Ordered.LOWEST_PRECEDENCE)
    CodecCustomizer strictJsonDecoder(JsonMapper mapper, ObjectProvider<Validator> validator) {
        return configurer -> configurer.defaultCodecs()
                .jacksonJsonDecoder(new StrictJsonDecoder(mapper, validator.getIfAvailable()));
    }

    @Bean
    WebFilter unknownQueryParameters(
            @Qualifier("requestMappingHandlerMapping") RequestMappingHandlerMapping handlers) {
        return new UnknownQueryParameterFilter(handlers);
    }

    static final class StrictJsonDecoder extends JacksonJsonDecoder {

        private final JsonBodyBinder binder;

        StrictJsonDecoder(JsonMapper mapper, Validator validator) {
            super(mapper);
            this.binder = new JsonBodyBinder(mapper, validator);
        }

        @Override
        public Object decode(DataBuffer buffer, ResolvableType targetType, MimeType mimeType,
                Map<String, Object> hints) throws DecodingException {
            if (!JsonBodyBinder.bindsFieldByField(targetType.toClass())) {
                return super.decode(buffer, targetType, mimeType, hints);
            }
            JsonNode tree = (JsonNode) super.decode(buffer, ResolvableType.forClass(JsonNode.class), mimeType, hints);
            try {
                return binder.bind(tree, binder.type(targetType.getType()));
            }
            catch (JacksonException ex) {
                throw new DecodingException("JSON decoding error: " + ex.getOriginalMessage(), ex);
            }
        }
    }

    /**
     * Malformed query strings ({@link QueryStrings}) on any request, unknown parameters on the gateway's own API.
     * After identity, rate limits and the size check: an unauthenticated caller learns nothing about parameters.
     */
    static final class UnknownQueryParameterFilter implements WebFilter, Ordered {

        private final RequestMappingHandlerMapping handlers;

        UnknownQueryParameterFilter(RequestMappingHandlerMapping handlers) {
            this.handlers = handlers;
        }

        @Override
        public int getOrder() {
            return Ordered.HIGHEST_PRECEDENCE + 400;
        }

        @Override
        public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
            String query = exchange.getRequest().getURI().getRawQuery();
            if (query == null || query.isEmpty()) {
                return chain.filter(exchange);
            }
            // Every request, proxied ones too: refused here with the services' answer, before it costs a hop.
            List<FieldProblem> malformed = QueryStrings.problems(query);
            if (!malformed.isEmpty()) {
                return Mono.error(new InvalidRequestException(malformed));
            }
            return handlers.getHandler(exchange)
                    .onErrorResume(ex -> Mono.empty()) // no match, 405, 415...: the dispatcher answers those
                    .doOnNext(handler -> {
                        if (handler instanceof HandlerMethod method && QueryParameters.appliesTo(method.getBeanType())) {
                            QueryParameters.check(method.getMethod(), query);
                        }
                    })
                    .then(Mono.defer(() -> chain.filter(exchange)));
        }
    }
}
